package io.frugalspark.cuda;

import static org.bytedeco.cuda.global.nvrtc.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Compiles the engine's CUDA C to CUBIN with NVRTC, once per (source, architecture) per process.
 * ptxas runs verbose so every compile also reports each kernel's registers, spills and shared memory,
 * which the CI test holds to the architecture limits without a GPU.
 */
public final class Nvrtc {

    private static final Map<String, Cubin> CACHE = new ConcurrentHashMap<>();
    private static final Pattern ENTRY = Pattern.compile("Compiling entry function '([A-Za-z0-9_]+)' for '(sm_\\d+)'");
    private static final Pattern FRAME = Pattern.compile("(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final Pattern USED = Pattern.compile("Used (\\d+) registers");
    private static final Pattern SMEM = Pattern.compile("(\\d+) bytes smem");

    private Nvrtc() {}

    /** NVRTC's version, e.g. "13.1"; loading it is what fails when libnvrtc.so.13 or libcuda.so.1 is missing. */
    public static String version() {
        load();
        int[] major = new int[1], minor = new int[1];
        check(nvrtcVersion(major, minor), "nvrtcVersion", "");
        return major[0] + "." + minor[0];
    }

    public static Cubin compile(KernelSource source, ComputeCapability arch) {
        return CACHE.computeIfAbsent(source.name() + "@" + arch.sm(), k -> compile(source, source.text(), arch));
    }

    /** Uncached: the compile test also feeds it deliberately broken variants of a source. */
    static Cubin compile(KernelSource source, String text, ComputeCapability arch) {
        load();
        _nvrtcProgram program = new _nvrtcProgram();
        List<String> headers = KernelSource.HEADERS;
        String[] bodies = headers.stream().map(KernelSource::resource).toArray(String[]::new);
        check(nvrtcCreateProgram(program, new BytePointer(text), new BytePointer(source.file()), headers.size(),
                new PointerPointer<>(bodies), new PointerPointer<>(headers.toArray(new String[0]))), "nvrtcCreateProgram", source.file());
        try {
            String[] options = {"--gpu-architecture=" + arch.sm(), "--std=c++17", "-Xptxas=-v"};
            int status = nvrtcCompileProgram(program, options.length, new PointerPointer<>(options));
            String log = log(program);
            if (status != NVRTC_SUCCESS)
                throw new IllegalStateException("NVRTC could not compile " + source.file() + " for " + arch.sm() + " ("
                        + nvrtcGetErrorString(status).getString() + "):\n" + log);
            return new Cubin(source, arch, cubin(program), resources(source, arch, log), log);
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static String log(_nvrtcProgram program) {
        SizeTPointer size = new SizeTPointer(1);
        check(nvrtcGetProgramLogSize(program, size), "nvrtcGetProgramLogSize", "");
        BytePointer log = new BytePointer(size.get());
        check(nvrtcGetProgramLog(program, log), "nvrtcGetProgramLog", "");
        return log.getString();
    }

    private static byte[] cubin(_nvrtcProgram program) {
        SizeTPointer size = new SizeTPointer(1);
        check(nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", "");
        BytePointer image = new BytePointer(size.get());
        check(nvrtcGetCUBIN(program, image), "nvrtcGetCUBIN", "");
        byte[] bytes = new byte[(int) size.get()];
        image.get(bytes);
        return bytes;
    }

    /** Each listed kernel's figures from ptxas's verbose lines; a kernel the log does not describe is an error. */
    static Map<String, KernelResources> resources(KernelSource source, ComputeCapability arch, String log) {
        Map<String, int[]> seen = new LinkedHashMap<>();
        int[] current = null;
        for (String line : log.split("\n")) {
            Matcher entry = ENTRY.matcher(line);
            if (entry.find()) {
                current = new int[] {-1, 0, 0, 0, 0};
                seen.put(entry.group(1), current);
                continue;
            }
            if (current == null) continue;
            Matcher frame = FRAME.matcher(line), used = USED.matcher(line), smem = SMEM.matcher(line);
            if (frame.find()) for (int i = 0; i < 3; i++) current[1 + i] = Integer.parseInt(frame.group(1 + i));
            if (used.find()) {
                current[0] = Integer.parseInt(used.group(1));
                if (smem.find()) current[4] = Integer.parseInt(smem.group(1));
            }
        }
        Map<String, KernelResources> out = new LinkedHashMap<>();
        for (String kernel : source.kernels()) {
            int[] r = seen.get(kernel);
            if (r == null || r[0] < 0)
                throw new IllegalStateException("ptxas reported nothing for kernel " + kernel + " of " + source.file()
                        + " on " + arch.sm() + " (is it extern \"C\" __global__?); log:\n" + log);
            out.put(kernel, new KernelResources(r[0], r[1], r[2], r[3], r[4]));
        }
        return Map.copyOf(out);
    }

    private static void load() {
        try {
            Loader.load(org.bytedeco.cuda.global.nvrtc.class);
        } catch (LinkageError e) {
            throw new IllegalStateException("cannot load NVRTC: libnvrtc.so.13 (CUDA 13) and the driver's libcuda.so.1 "
                    + "must be on the library path: " + e, e);
        }
    }

    private static void check(int status, String call, String what) {
        if (status != NVRTC_SUCCESS)
            throw new IllegalStateException(call + " failed for " + what + ": " + nvrtcGetErrorString(status).getString());
    }
}
