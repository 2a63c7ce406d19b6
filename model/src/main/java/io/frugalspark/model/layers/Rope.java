package io.frugalspark.model.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rotary position embedding (Hugging Face "rotate_half" pairing: feature i with i + h/2) on
 * [B*T, H*h] rows. The cos and sin tables depend only on the model's shape, so one instance serves
 * every layer of a model; they are never written after construction. Its one scratch buffer is
 * shared the same way (the layers run one at a time).
 */
public final class Rope {
    private final int heads;
    private final int headDim;
    /** cos and sin of each position's angles, [maxSeqLen, H*h]: repeated over both halves of every head. */
    private final INDArray cos;
    private final INDArray sin;
    /** [B*T, H*h]: src * sin, whose halves are added to (or subtracted from) the other halves of dst. */
    private INDArray sinTerm;

    public Rope(int heads, int headDim, int maxSeqLen, double base, DataType dtype) {
        this.heads = heads;
        this.headDim = headDim;
        int half = headDim / 2, width = heads * headDim;
        double[][] c = new double[maxSeqLen][width], s = new double[maxSeqLen][width];
        for (int t = 0; t < maxSeqLen; t++) {
            for (int i = 0; i < width; i++) {
                double angle = t * Math.pow(base, -2.0 * (i % half) / headDim);
                c[t][i] = Math.cos(angle);
                s[t][i] = Math.sin(angle);
            }
        }
        cos = Nd4j.createFromArray(c).castTo(dtype);
        sin = Nd4j.createFromArray(s).castTo(dtype);
    }

    /**
     * dst = src * cos + rotate_half(src) * sin (or the inverse rotation, for backward): first
     * halves get -x2 sin, second halves +x1 sin. Writes dst (a rotation, not a backward: nothing accumulates).
     */
    void apply(INDArray src, INDArray dst, int batch, int seq, boolean inverse) {
        long width = src.columns(), half = headDim / 2;
        INDArray c = cos.get(interval(0, seq), all()).reshape(1, seq * width);
        INDArray s = sin.get(interval(0, seq), all()).reshape(1, seq * width);
        dst.reshape(batch, seq * width).assign(src.reshape(batch, seq * width)).muliRowVector(c);
        if (!Ops.fits(sinTerm, src.shape())) sinTerm = Ops.create(src.dataType(), src.shape());
        sinTerm.reshape(batch, seq * width).assign(src.reshape(batch, seq * width)).muliRowVector(s);
        INDArray d3 = dst.reshape(src.rows() * heads, 2, half), t3 = sinTerm.reshape(src.rows() * heads, 2, half);
        INDArray first = d3.get(all(), point(0), all()), second = d3.get(all(), point(1), all());
        INDArray firstSin = t3.get(all(), point(0), all()), secondSin = t3.get(all(), point(1), all());
        if (inverse) {
            first.addi(secondSin);
            second.subi(firstSin);
        } else {
            first.subi(secondSin);
            second.addi(firstSin);
        }
    }
}
