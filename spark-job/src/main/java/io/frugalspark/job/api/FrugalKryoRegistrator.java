package io.frugalspark.job.api;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.IOException;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code spark.kryo.registrator} for frugal-spark (the cluster templates in conf/cluster set it):
 * <ul>
 * <li>ND4J arrays in RDDs and broadcasts, in ND4J's own binary format (shape, order, data type,
 * data), so views and off-heap buffers round-trip. DL4J's {@code org.nd4j.kryo.Nd4jRegistrator}
 * does the same but ships only in dl4j-spark, which the cluster jar does not carry.</li>
 * <li>Java records (the job's RDD elements and broadcast values), through Java serialization: the
 * Kryo 4 in Spark 3.5 cannot build a field serializer for a record.</li>
 * </ul>
 */
public final class FrugalKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.addDefaultSerializer(INDArray.class, new ArraySerializer());
        kryo.addDefaultSerializer(Record.class, new JavaSerializer());
    }

    private static final class ArraySerializer extends Serializer<INDArray> {
        @Override
        public void write(Kryo kryo, Output output, INDArray array) {
            byte[] bytes;
            try {
                bytes = Nd4j.toByteArray(array);
            } catch (IOException e) {
                throw new KryoException(e);
            }
            output.writeInt(bytes.length, true);
            output.writeBytes(bytes);
        }

        @Override
        public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
            return Nd4j.fromByteArray(input.readBytes(input.readInt(true)));
        }
    }
}
