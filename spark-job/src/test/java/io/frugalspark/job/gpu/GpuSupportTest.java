package io.frugalspark.job.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpuSupportTest {
    @Test
    void hopperIsRefusedNamingTheGpuAndTheRange() {
        List<GpuSupport.Gpu> gpus = GpuSupport.parse("0, NVIDIA A100-SXM4-80GB, 8.0\n1, NVIDIA H100 80GB HBM3, 9.0\n");
        assertEquals(2, gpus.size());
        GpuSupport.UnsupportedGpuException e = assertThrows(GpuSupport.UnsupportedGpuException.class,
                () -> GpuSupport.requireSupported(gpus));
        assertTrue(e.getMessage().contains("GPU 1 NVIDIA H100 80GB HBM3 (compute capability 9.0)"), e.getMessage());
        assertFalse(e.getMessage().contains("GPU 0"), "the supported A100 is not blamed: " + e.getMessage());
        assertTrue(e.getMessage().contains("3.7 to 8.6"), e.getMessage());
    }

    @Test
    void ampereAndVoltaPass() {
        GpuSupport.requireSupported(GpuSupport.parse("0, Tesla V100-SXM2-16GB, 7.0\n1, NVIDIA A10, 8.6\n"));
        assertThrows(GpuSupport.UnsupportedGpuException.class, () -> GpuSupport.requireSupported(List.of()));
    }

    @Test
    void theDefaultBuildHasNoCudaBackend() {
        assertFalse(GpuSupport.cudaBackendOnClasspath());
    }
}
