package io.frugalspark.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.testkit.MiniDfs;
import io.frugalspark.testkit.MiniDfsExtension;
import io.frugalspark.testkit.SparkExtension;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The three things every later module stands on: a real Spark context, a real HDFS, the native ND4J backend. */
@ExtendWith({SparkExtension.class, MiniDfsExtension.class})
class FoundationTest {

    @Test
    void sparkRunsAJobAcrossPartitions(JavaSparkContext sc) {
        List<Integer> xs = IntStream.rangeClosed(1, 1000).boxed().toList();
        int sum = sc.parallelize(xs, 4).map(x -> x * 2).reduce(Integer::sum);
        assertEquals(1000 * 1001, sum);
        assertEquals(4, sc.parallelize(xs, 4).getNumPartitions());
    }

    @Test
    void sparkWritesAndReadsOnMiniDfs(JavaSparkContext sc, MiniDfs dfs) {
        String dir = dfs.uri() + "/foundation/lines";
        sc.parallelize(List.of("xin chào", "hello", "bonjour"), 2).saveAsTextFile(dir);
        List<String> back = sc.textFile(dir).collect();
        assertEquals(3, back.size());
        assertTrue(back.contains("xin chào"));
        assertTrue(dir.startsWith("hdfs://"));
    }

    @Test
    void nd4jNativeBackendMultipliesMatricesInDouble() {
        assertEquals("CpuBackend", Nd4j.getBackend().getClass().getSimpleName());
        INDArray a = Nd4j.create(new double[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray b = Nd4j.create(new double[][] {{7, 8}, {9, 10}, {11, 12}});
        INDArray c = a.mmul(b);
        assertEquals(DataType.DOUBLE, c.dataType());
        assertArrayEquals(new double[] {58, 64, 139, 154}, c.reshape(4).toDoubleVector(), 0.0);
    }
}
