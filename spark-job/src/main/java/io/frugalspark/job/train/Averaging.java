package io.frugalspark.job.train;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Element-wise means of workers' tensors, summed in the given (worker) order so results are reproducible. */
final class Averaging {
    private Averaging() {}

    static List<INDArray> mean(List<byte[]> encoded) {
        List<INDArray> sum = TensorCodec.decode(encoded.get(0));
        for (byte[] other : encoded.subList(1, encoded.size())) {
            List<INDArray> o = TensorCodec.decode(other);
            for (int i = 0; i < sum.size(); i++) {
                sum.get(i).addi(o.get(i));
            }
        }
        if (encoded.size() > 1) {
            sum.forEach(a -> a.divi(encoded.size()));
        }
        return sum;
    }
}
