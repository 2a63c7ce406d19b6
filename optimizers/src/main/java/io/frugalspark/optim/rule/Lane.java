package io.frugalspark.optim.rule;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a dense array's off-heap memory, float32 or float64 behind one type, so a
 * fused kernel is written once: arithmetic is in double, float32 stores round once per element (Adam on float32
 * tensors computes in float32 instead, through {@link F#load(int, float[], int)}).
 * (ND4J's element-wise ops cost a full memory pass each; its sqrt alone is slower than a whole
 * fused AdamW element.)
 */
abstract sealed class Lane permits Lane.F, Lane.D {
    /** The operand's first element in its buffer. */
    final int base;

    private Lane(int base) {
        this.base = base;
    }

    /** Copies elements [from, from+n) into dst[0, n): bulk, so the kernel's loop runs on plain arrays. */
    abstract void load(int from, double[] dst, int n);

    abstract void store(int from, double[] src, int n);

    /** Per-thread float staging for {@link #load}/{@link #store}; grows for long rows (SinkGD stages whole rows). */
    private static final PerThread<float[]> STAGE = new PerThread<>(float[]::new, a -> a.length);

    /** A lane over {@code a}, which must be unit-stride; kernels index all operands alike. */
    static Lane of(INDArray a) {
        if (a.elementWiseStride() != 1 || a.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("fused kernels need dense arrays, got shape "
                    + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()));
        }
        int base = (int) a.offset();
        var bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        if (a.dataType() == DataType.FLOAT) {
            return new F(bytes.asFloatBuffer(), base);
        }
        if (a.dataType() == DataType.DOUBLE) {
            return new D(bytes.asDoubleBuffer(), base);
        }
        throw new IllegalArgumentException("optimizer tensors must be float32 or float64, got " + a.dataType());
    }

    /** Operands of one kernel must lay out their elements in the same order. */
    static void sameLayout(INDArray first, INDArray... others) {
        for (INDArray o : others) {
            if (o.length() != first.length() || (first.rank() > 1 && o.ordering() != first.ordering())) {
                throw new IllegalArgumentException("fused kernel operands differ in length or memory order");
            }
        }
    }

    static final class F extends Lane {
        private final FloatBuffer b;

        F(FloatBuffer b, int base) {
            super(base);
            this.b = b;
        }

        /** Copies elements [from, from+n) into dst[0, n) as they are, for kernels that compute in float32. */
        void load(int from, float[] dst, int n) {
            b.get(base + from, dst, 0, n);
        }

        void store(int from, float[] src, int n) {
            b.put(base + from, src, 0, n);
        }

        @Override
        void load(int from, double[] dst, int n) {
            float[] f = STAGE.atLeast(n);
            b.get(base + from, f, 0, n);
            for (int i = 0; i < n; i++) {
                dst[i] = f[i];
            }
        }

        @Override
        void store(int from, double[] src, int n) {
            float[] f = STAGE.atLeast(n);
            for (int i = 0; i < n; i++) {
                f[i] = (float) src[i];
            }
            b.put(base + from, f, 0, n);
        }
    }

    static final class D extends Lane {
        private final DoubleBuffer b;

        D(DoubleBuffer b, int base) {
            super(base);
            this.b = b;
        }

        @Override
        void load(int from, double[] dst, int n) {
            b.get(base + from, dst, 0, n);
        }

        @Override
        void store(int from, double[] src, int n) {
            b.put(base + from, src, 0, n);
        }
    }
}
