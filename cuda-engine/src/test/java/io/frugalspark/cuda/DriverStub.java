package io.frugalspark.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the CUDA bindings loadable on a machine without an NVIDIA driver. Their JNI library for cudart
 * (which NVRTC's inherits) links the driver's libcuda.so.1 but binds its symbols lazily, so an empty
 * shared object with that soname is enough to compile kernels. It is built here with gcc rather than by
 * .ci/run or a Maven plugin because only this JVM needs it, and only when no real driver is installed:
 * loading it by path makes later lookups of libcuda.so.1 resolve to it (the loader matches sonames of
 * loaded objects), while a GPU machine keeps its real driver. Anything going wrong here fails the test.
 */
final class DriverStub {

    private static boolean done;

    private DriverStub() {}

    static synchronized void ensureDriverLoadable() throws IOException, InterruptedException {
        if (done) return;
        if (!realDriverInstalled()) System.load(build().toString());
        done = true;
    }

    private static boolean realDriverInstalled() throws IOException, InterruptedException {
        List<String> dirs = new ArrayList<>(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib/x86_64-linux-gnu"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) dirs.addAll(List.of(ld.split(":")));
        for (String d : dirs) if (!d.isEmpty() && Files.exists(Path.of(d, "libcuda.so.1"))) return true;
        return run(List.of("/sbin/ldconfig", "-p")).contains("libcuda.so.1 ");
    }

    private static Path build() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "frugal-cuda-stub-" + ProcessHandle.current().pid());
        Files.createDirectories(dir);
        Path c = dir.resolve("stub.c"), so = dir.resolve("libcuda.so.1");
        Files.writeString(c, "/* stand-in for the NVIDIA driver: NVRTC needs none of it */\nint frugal_cuda_stub;\n");
        run(List.of("gcc", "-shared", "-fPIC", "-Wl,-soname,libcuda.so.1", "-o", so.toString(), c.toString()));
        return so;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
        return out;
    }
}
