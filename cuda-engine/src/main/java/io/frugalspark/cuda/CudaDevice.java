package io.frugalspark.cuda;

import static org.bytedeco.cuda.global.cudart.*;

import java.util.EnumMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * One GPU through the driver API: its primary context (shared with cuBLAS), one stream on which every
 * launch, copy and GEMM of this replica is queued (so a step needs no host synchronisation), and the
 * engine's kernels compiled by NVRTC for its compute capability and loaded once.
 */
public final class CudaDevice implements AutoCloseable {

    /** What the GPU guard reports. */
    public record Info(int ordinal, String name, ComputeCapability cc, int multiprocessors, long memoryBytes,
                       int driverVersion, int runtimeVersion) {
        @Override
        public String toString() {
            return "GPU " + ordinal + ": " + name + ", " + cc.sm() + " (" + cc.architecture() + "), " + multiprocessors + " SMs, "
                    + memoryBytes / (1L << 20) + " MiB, driver CUDA " + version(driverVersion) + ", runtime " + version(runtimeVersion);
        }

        private static String version(int v) {
            return v / 1000 + "." + v % 1000 / 10;
        }
    }

    private final Info info;
    private final CUstream_st stream = new CUstream_st();
    private final Map<KernelSource, CUmod_st> modules = new EnumMap<>(KernelSource.class);

    private CudaDevice(Info info) {
        this.info = info;
    }

    /** Loads the driver and counts devices; a machine without either is a NoGpuException, not an error. */
    public static int deviceCount() throws NoGpuException {
        try {
            Loader.load(org.bytedeco.cuda.global.cudart.class);
        } catch (LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            // Without the driver there is no GPU to use; with it, a missing CUDA 13 library is a setup error.
            if (String.valueOf(root.getMessage()).contains("libcuda.so"))
                throw new NoGpuException("no NVIDIA driver on this machine (" + root.getMessage() + ")", e);
            throw new IllegalStateException("the NVIDIA driver is here but the CUDA 13 libraries are not (libcudart.so.13, "
                    + "libcublas.so.13, libcublasLt.so.13, libnvrtc.so.13 on the library path): " + root.getMessage(), e);
        }
        int status = cuInit(0);
        if (status == CUDA_ERROR_NO_DEVICE) throw new NoGpuException("the NVIDIA driver sees no GPU", null);
        check(status, "cuInit");
        int[] n = new int[1];
        check(cuDeviceGetCount(n), "cuDeviceGetCount");
        if (n[0] == 0) throw new NoGpuException("the NVIDIA driver sees no GPU", null);
        return n[0];
    }

    /** Opens a device (Spark's assigned GPU address) after refusing sm_70 and older by name. */
    public static CudaDevice open(int ordinal) throws NoGpuException {
        int count = deviceCount();
        if (ordinal < 0 || ordinal >= count) throw new IllegalArgumentException("GPU " + ordinal + " does not exist; this machine has " + count);
        int[] dev = new int[1];
        check(cuDeviceGet(dev, ordinal), "cuDeviceGet");
        Info info = new Info(ordinal, name(dev[0]), new ComputeCapability(attribute(dev[0], CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(dev[0], CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)), attribute(dev[0], CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                totalMemory(dev[0]), driverVersion(), runtimeVersion());
        info.cc().requireSupported(info.name());
        CUctx_st context = new CUctx_st();
        check(cuDevicePrimaryCtxRetain(context, dev[0]), "cuDevicePrimaryCtxRetain");
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
        CudaDevice device = new CudaDevice(info);
        check(cuStreamCreate(device.stream, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        return device;
    }

    public Info info() {
        return info;
    }

    CUstream_st stream() {
        return stream;
    }

    /** Zeroed device memory. */
    public DeviceBuffer allocate(long bytes) {
        long[] address = new long[1];
        check(cuMemAlloc(address, bytes), "cuMemAlloc(" + bytes + ")");
        check(cuMemsetD8Async(address[0], (byte) 0, bytes, stream), "cuMemsetD8Async");
        return new DeviceBuffer(address[0], bytes);
    }

    public void zero(long address, long bytes) {
        check(cuMemsetD8Async(address, (byte) 0, bytes, stream), "cuMemsetD8Async");
    }

    public void upload(Pointer host, long deviceAddress, long bytes) {
        check(cuMemcpyHtoDAsync(deviceAddress, host, bytes, stream), "cuMemcpyHtoDAsync");
    }

    public void download(long deviceAddress, Pointer host, long bytes) {
        check(cuMemcpyDtoHAsync(host, deviceAddress, bytes, stream), "cuMemcpyDtoHAsync");
    }

    public void synchronize() {
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /** A kernel of the engine, its source compiled (once per process) and loaded (once per device). */
    public CUfunc_st function(KernelSource source, String kernel) {
        CUmod_st module = modules.computeIfAbsent(source, s -> {
            CUmod_st m = new CUmod_st();
            check(cuModuleLoadData(m, new BytePointer(Nvrtc.compile(s, info.cc()).image())), "cuModuleLoadData(" + s.file() + ")");
            return m;
        });
        CUfunc_st f = new CUfunc_st();
        check(cuModuleGetFunction(f, module, kernel), "cuModuleGetFunction(" + kernel + ")");
        return f;
    }

    /**
     * Queues a kernel. Arguments in the kernel's order: Long (a device address or a C long), Integer, Float;
     * each is copied into its own native slot, as cuLaunchKernel's kernelParams wants.
     */
    public void launch(CUfunc_st function, LaunchPlan.Dims dims, Object... args) {
        PointerPointer<Pointer> params = new PointerPointer<>(args.length);
        for (int i = 0; i < args.length; i++) params.put(i, slot(args[i]));
        check(cuLaunchKernel(function, dims.gridX(), dims.gridY(), dims.gridZ(), dims.block(), 1, 1, 0, stream, params,
                (PointerPointer<?>) null), "cuLaunchKernel");
    }

    private static Pointer slot(Object arg) {
        if (arg instanceof Long l) return new LongPointer(1).put(l);
        if (arg instanceof Integer i) return new IntPointer(1).put(i);
        if (arg instanceof Float f) return new FloatPointer(1).put(f);
        throw new IllegalArgumentException("kernel argument of type " + arg.getClass() + ": pass Long, Integer or Float");
    }

    @Override
    public void close() {
        synchronize();
        modules.values().forEach(m -> cuModuleUnload(m));
        cuStreamDestroy(stream);
    }

    private static String name(int dev) {
        byte[] name = new byte[256];
        check(cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) end++;
        return new String(name, 0, end);
    }

    private static int attribute(int dev, int attribute) {
        int[] v = new int[1];
        check(cuDeviceGetAttribute(v, attribute, dev), "cuDeviceGetAttribute(" + attribute + ")");
        return v[0];
    }

    private static long totalMemory(int dev) {
        SizeTPointer bytes = new SizeTPointer(1);
        check(cuDeviceTotalMem(bytes, dev), "cuDeviceTotalMem");
        return bytes.get();
    }

    private static int driverVersion() {
        int[] v = new int[1];
        check(cuDriverGetVersion(v), "cuDriverGetVersion");
        return v[0];
    }

    private static int runtimeVersion() {
        int[] v = new int[1];
        check(cudaRuntimeGetVersion(v), "cudaRuntimeGetVersion");
        return v[0];
    }

    static void check(int status, String call) {
        if (status != CUDA_SUCCESS) {
            PointerPointer<BytePointer> text = new PointerPointer<>(1);
            cuGetErrorString(status, text);
            BytePointer message = text.get(BytePointer.class, 0);
            throw new IllegalStateException(call + " failed: CUDA error " + status + (message == null || message.isNull() ? "" : " " + message.getString()));
        }
    }
}
