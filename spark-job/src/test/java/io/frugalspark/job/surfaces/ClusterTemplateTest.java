package io.frugalspark.job.surfaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.data.input.InputFile;
import io.frugalspark.testkit.SharedFiles;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag$;

/** The spark-submit property templates in conf/cluster: one task per executor, consistent memory, Kryo that carries ND4J arrays and the job's records. */
class ClusterTemplateTest {
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void oneTaskPerExecutorMemoryThatAddsUpAndKryoForNd4jArrays(String kind) throws Exception {
        SparkConf conf = new SparkConf(false);
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(SharedFiles.repoRoot().resolve("conf/cluster/" + kind + ".properties"))) {
            props.load(r);
        }
        props.forEach((k, v) -> conf.set((String) k, (String) v));

        assertEquals(conf.get("spark.executor.cores"), conf.get("spark.task.cpus"));
        assertEquals("false", conf.get("spark.dynamicAllocation.enabled"));
        if (kind.equals("gpu")) {
            assertEquals("1", conf.get("spark.executor.resource.gpu.amount"));
            assertEquals("1", conf.get("spark.task.resource.gpu.amount"));
        }
        for (String role : new String[] {"executor", "driver"}) {
            String opts = conf.get("spark." + role + ".extraJavaOptions");
            long maxBytes = JavaUtils.byteStringAsBytes(opts.replaceAll(".*-Dorg.bytedeco.javacpp.maxbytes=(\\S+).*", "$1"));
            long physical = JavaUtils.byteStringAsBytes(opts.replaceAll(".*-Dorg.bytedeco.javacpp.maxphysicalbytes=(\\S+).*", "$1"));
            long heap = JavaUtils.byteStringAsBytes(conf.get("spark." + role + ".memory", "1g"));
            assertTrue(maxBytes + heap <= physical, role + ": off-heap arrays plus heap must fit under maxphysicalbytes");
            if (role.equals("executor")) {
                long container = heap + JavaUtils.byteStringAsBytes(conf.get("spark.executor.memoryOverhead"));
                assertTrue(physical <= container, "maxphysicalbytes must stay within the executor's container");
            }
        }

        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 5, 7);
        INDArray view = matrix.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 5));
        for (INDArray a : new INDArray[] {matrix, view, Nd4j.linspace(1, 6, 6, DataType.DOUBLE).reshape('f', 2, 3)}) {
            ByteBuffer bytes = kryo.serialize(a, ClassTag$.MODULE$.apply(INDArray.class));
            INDArray back = kryo.deserialize(bytes, ClassTag$.MODULE$.apply(INDArray.class));
            assertEquals(a, back);
            assertEquals(a.dataType(), back.dataType());
        }
        InputFile record = new InputFile(3, "hdfs://nn/c4/c4-train.00003-of-01024.json.gz", 42L, null);
        assertEquals(record, kryo.deserialize(kryo.serialize(record, ClassTag$.MODULE$.apply(InputFile.class)),
                ClassTag$.MODULE$.apply(InputFile.class)));
    }
}
