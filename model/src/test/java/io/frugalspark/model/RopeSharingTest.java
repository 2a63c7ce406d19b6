package io.frugalspark.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The rotary tables depend on the model's shape only: one cos/sin pair per model, not one per layer. */
class RopeSharingTest {
    @Test
    void aLongContextCostsOneTablePairNotOnePerLayer() {
        int hidden = 64, layers = 16, longSeq = 1 << 14;
        LlamaConfig.Builder b = LlamaConfig.builder().shape(hidden, 16, 2, layers).vocabSize(8);
        long shortContext = residentBytesOfNewModel(b.maxSeqLen(2).build());
        long longContext = residentBytesOfNewModel(b.maxSeqLen(longSeq).build());
        double pairs = (longContext - shortContext) / (2.0 * longSeq * hidden * Double.BYTES);
        System.out.printf("a %d-layer model with %d positions grew by %.2f cos/sin pairs%n", layers, longSeq, pairs);
        // one pair off-heap plus at most two transient on-heap copies while building it; one per layer is 16
        assertTrue(pairs < 6, "a " + layers + "-layer model grew by " + pairs + " cos/sin table pairs");
    }

    /** Resident memory (off-heap arrays and heap alike) that building the model added. */
    private static long residentBytesOfNewModel(LlamaConfig cfg) {
        long before = Pointer.physicalBytes();
        LlamaModel m = LlamaModel.init(cfg, 1, DataType.DOUBLE);
        long bytes = Pointer.physicalBytes() - before;
        Reference.reachabilityFence(m);
        return bytes;
    }
}
