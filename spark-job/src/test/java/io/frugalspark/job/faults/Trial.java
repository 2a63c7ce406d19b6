package io.frugalspark.job.faults;

/**
 * One faulted run: where the fault landed ({@code point}), whether the run (with its resume or re-run)
 * completed, whether it equals the unfaulted run, and the bytes of committed data it lost.
 */
record Trial(String fault, int run, String point, boolean survived, boolean identical, long lostBytes, String evidence) {
    String line() {
        return String.format("%-14s run %d  survived=%-5s identical=%-5s lost=%d B  at: %s  | %s",
                fault, run, survived, identical, lostBytes, point, evidence);
    }
}
