package io.frugalspark.cuda;

/**
 * cos and sin of the rotary angles, [time, headDim / 2] row-major, computed in double and rounded once,
 * so every replica and engine rotates by the same floats: angle = t * base^(-2j / headDim).
 */
public record RopeTables(float[] cos, float[] sin, int time, int headDim) {

    public static RopeTables of(int time, int headDim, double base) {
        if (headDim % 2 != 0) throw new IllegalArgumentException("RoPE needs an even head dimension, got " + headDim);
        int half = headDim / 2;
        float[] cos = new float[time * half], sin = new float[time * half];
        for (int t = 0; t < time; t++)
            for (int j = 0; j < half; j++) {
                double angle = t * Math.pow(base, -2.0 * j / headDim);
                cos[t * half + j] = (float) Math.cos(angle);
                sin[t * half + j] = (float) Math.sin(angle);
            }
        return new RopeTables(cos, sin, time, headDim);
    }
}
