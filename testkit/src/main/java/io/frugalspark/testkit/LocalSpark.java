package io.frugalspark.testkit;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One real local SparkContext per test JVM (Spark allows only one at a time). Tests that need a
 * different master (for example {@code local[2,2]} to get task retries) ask for it by name; the
 * running context is stopped and replaced.
 */
public final class LocalSpark {
    public static final String DEFAULT_MASTER = "local[2]";
    private static JavaSparkContext current;

    private LocalSpark() {}

    public static synchronized JavaSparkContext context() {
        return context(DEFAULT_MASTER);
    }

    public static synchronized JavaSparkContext context(String master) {
        if (current != null && !current.sc().isStopped() && current.master().equals(master)) {
            return current;
        }
        stop();
        SparkConf conf = new SparkConf()
                .setMaster(master)
                .setAppName("frugal-spark-tests")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "4")
                .set("spark.default.parallelism", "4");
        current = new JavaSparkContext(conf);
        current.setLogLevel("WARN");
        return current;
    }

    public static synchronized void stop() {
        if (current != null) {
            current.stop();
            current = null;
        }
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LocalSpark::stop, "local-spark-stop"));
    }
}
