package io.frugalspark.data.corpus;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Used by data/build_corpus.py: writes a JSON lines file as one snappy parquet file with Spark's
 * own writer (columns in file order), so the shipped VietVault sample is real parquet.
 * Usage: JsonlToParquet IN.jsonl OUT.parquet
 */
public final class JsonlToParquet {
    public static void main(String[] args) throws Exception {
        Path staging = Files.createTempDirectory("parquet-out");
        SparkSession spark = SparkSession.builder().master("local[1]").appName("jsonl-to-parquet")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            spark.read().json(args[0]).select("id", "url", "title", "markdown").coalesce(1)
                    .write().mode(SaveMode.Overwrite).parquet(staging.resolve("out").toString());
        } finally {
            spark.stop();
        }
        File[] parts = staging.resolve("out").toFile().listFiles((d, n) -> n.startsWith("part-") && n.endsWith(".parquet"));
        if (parts == null || parts.length != 1) {
            throw new IllegalStateException("expected one parquet part file in " + staging);
        }
        Files.move(parts[0].toPath(), Path.of(args[1]), StandardCopyOption.REPLACE_EXISTING);
    }
}
