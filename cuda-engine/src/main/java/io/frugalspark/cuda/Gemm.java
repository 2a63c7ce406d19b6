package io.frugalspark.cuda;

import static org.bytedeco.cuda.global.cublas.*;
import static org.bytedeco.cuda.global.cudart.CUDA_R_16BF;
import static org.bytedeco.cuda.global.cudart.CUDA_R_32F;
import static org.bytedeco.cuda.global.cudart.MAJOR_VERSION;
import static org.bytedeco.cuda.global.cudart.MINOR_VERSION;
import static org.bytedeco.cuda.global.cudart.PATCH_LEVEL;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * cuBLAS GEMMs on the device's stream: fp32 (true fp32, no TF32, so results match the CPU engine to
 * 1e-5) or bf16 inputs with fp32 output and accumulation on tensor cores. One handle, one stream and
 * a fixed workspace per replica, and the default algorithm: cuBLAS gives the same bits run to run on
 * the same GPU model and library version under those conditions.
 */
public final class Gemm implements AutoCloseable {

    private static final long WORKSPACE_BYTES = 32L << 20;

    private final cublasContext handle = new cublasContext();
    private final FloatPointer one = new FloatPointer(1).put(1f), zero = new FloatPointer(1).put(0f);

    public Gemm(CudaDevice device) {
        load();
        check(cublasCreate_v2(handle), "cublasCreate");
        check(cublasSetStream_v2(handle, device.stream()), "cublasSetStream");
        // Default math with CUBLAS_COMPUTE_32F never uses TF32 (that takes COMPUTE_32F_FAST_TF32 or the TF32 mode).
        check(cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
        check(cublasSetWorkspace_v2(handle, address(device.allocate(WORKSPACE_BYTES).address()), WORKSPACE_BYTES), "cublasSetWorkspace");
    }

    /** The loaded cuBLAS library's version, e.g. 13.2.0, for the GPU guard's report (no handle or device needed). */
    public static String version() {
        load();
        int[] major = new int[1], minor = new int[1], patch = new int[1];
        check(cublasGetProperty(MAJOR_VERSION, major), "cublasGetProperty(MAJOR_VERSION)");
        check(cublasGetProperty(MINOR_VERSION, minor), "cublasGetProperty(MINOR_VERSION)");
        check(cublasGetProperty(PATCH_LEVEL, patch), "cublasGetProperty(PATCH_LEVEL)");
        return major[0] + "." + minor[0] + "." + patch[0];
    }

    /** C[m, n] (fp32) = op(A) op(B) + (accumulate ? C : 0); A and B fp32, or bf16 when bf16 is set. */
    public void rowMajor(boolean transA, boolean transB, int m, int n, int k, long a, long b, long c, boolean accumulate, boolean bf16) {
        GemmPlan p = GemmPlan.rowMajor(transA, transB, m, n, k);
        int inputs = bf16 ? CUDA_R_16BF : CUDA_R_32F;
        check(cublasGemmEx(handle, p.transFirst() ? CUBLAS_OP_T : CUBLAS_OP_N, p.transSecond() ? CUBLAS_OP_T : CUBLAS_OP_N,
                p.m(), p.n(), p.k(), one, address(b), inputs, p.ldFirst(), address(a), inputs, p.ldSecond(),
                accumulate ? one : zero, address(c), CUDA_R_32F, p.ldc(), CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT), "cublasGemmEx");
    }

    /** A host without cuBLAS 13 (cudart and NVRTC alone) is a setup error that names the library, not a stack trace. */
    private static void load() {
        try {
            Loader.load(org.bytedeco.cuda.global.cublas.class);
        } catch (LinkageError e) {
            throw new IllegalStateException("cannot load cuBLAS: libcublas.so.13 and libcublasLt.so.13 (CUDA 13) must be on the library path: " + e, e);
        }
    }

    private static Pointer address(long deviceAddress) {
        return new Pointer() {
            {
                address = deviceAddress;
            }
        };
    }

    @Override
    public void close() {
        cublasDestroy_v2(handle);
    }

    private static void check(int status, String call) {
        if (status != CUBLAS_STATUS_SUCCESS) throw new IllegalStateException(call + " failed: cuBLAS status " + status);
    }
}
