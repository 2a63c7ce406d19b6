package io.frugalspark.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The engine's CUDA C sources, one per operation, shipped as resources beside this class and compiled
 * by NVRTC for the device at executor start. Each lists the extern "C" kernels it defines, which the
 * engine binds by name and the compile test checks one by one.
 */
public enum KernelSource {
    EMBEDDING("embedding.cu", "embedding_forward", "embedding_backward"),
    RMSNORM("rmsnorm.cu", "rmsnorm_forward", "rmsnorm_backward_input", "rmsnorm_backward_weight_partial"),
    ROPE("rope.cu", "rope_rotate"),
    ATTENTION("attention.cu", "attention_forward", "attention_backward_delta", "attention_backward_dq",
            "attention_backward_dkdv"),
    SWIGLU("swiglu.cu", "swiglu_forward", "swiglu_backward"),
    CLASSIFIER("classifier.cu", "softmax_cross_entropy"),
    ADAMW("adamw.cu", "adamw_step"),
    STATE_FREE("state_free.cu", "state_free_step"),
    REDUCE("reduce.cu", "tensor_stats_partial", "tensor_stats_finish", "column_sum_add"),
    CAST("cast.cu", "float_to_bf16");

    /** Headers every source may include by name. */
    public static final List<String> HEADERS = List.of("common.cuh");

    private final String file;
    private final List<String> kernels;

    KernelSource(String file, String... kernels) {
        this.file = file;
        this.kernels = List.of(kernels);
    }

    public String file() {
        return file;
    }

    public List<String> kernels() {
        return kernels;
    }

    public String text() {
        return resource(file);
    }

    static String resource(String name) {
        try (InputStream in = KernelSource.class.getResourceAsStream("kernels/" + name)) {
            if (in == null) throw new IllegalStateException("kernel source missing from the jar: kernels/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
