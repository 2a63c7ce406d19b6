package io.frugalspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

class LlamaConfigTest {
    /** ALGORITHMS.md sections 10 and 11, vocabulary 32000, in millions rounded as published. */
    @ParameterizedTest
    @CsvSource({"llama-60m, 58.07, 43.5", "llama-130m, 134.11, 96.5", "llama-350m, 367.97, 194.3",
            "llama-1b, 1339.08, 645.5", "llama-7b, 6738.42, -1"})
    void presetCountsMatchThePapers(String preset, double dense, double sltrain) {
        LlamaConfig cfg = LlamaConfig.preset(preset, 32000, 256);
        assertEquals(dense, Math.round(cfg.parameterCount() / 1e4) / 100.0, 1e-9);
        if (sltrain > 0)
            assertEquals(sltrain, Math.round(cfg.toBuilder().sltrain(true).build().parameterCount() / 1e5) / 10.0, 1e-9);
    }

    @ParameterizedTest
    @CsvSource({"false", "true"})
    void countFromShapesEqualsTheAllocatedModel(boolean sltrain) {
        LlamaConfig cfg = LlamaConfig.preset("tiny", 101, 32).toBuilder().sltrain(sltrain).build();
        long allocated = LlamaModel.init(cfg, 1, DataType.FLOAT).parameters().stream()
                .filter(Parameter::trainable).mapToLong(p -> p.value().length()).sum();
        assertEquals(allocated, cfg.parameterCount());
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> LlamaConfig.preset("llama-2m", 100, 8));
        assertThrows(IllegalArgumentException.class, () -> LlamaConfig.builder().shape(30, 64, 4, 2).build());
    }
}
