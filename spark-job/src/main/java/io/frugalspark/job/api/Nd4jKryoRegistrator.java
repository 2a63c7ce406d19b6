package io.frugalspark.job.api;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code spark.kryo.registrator} for ND4J arrays in RDDs and broadcasts (the cluster templates in
 * conf/cluster set it): every {@link INDArray} is written in ND4J's own binary format (shape, order,
 * data type, data), so views and off-heap buffers round-trip. DL4J's {@code org.nd4j.kryo.Nd4jRegistrator}
 * does the same but ships only in dl4j-spark, which the cluster jar does not carry.
 */
public final class Nd4jKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.addDefaultSerializer(INDArray.class, new ArraySerializer());
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
            try {
                return Nd4j.fromByteArray(input.readBytes(input.readInt(true)));
            } catch (IOException e) {
                throw new KryoException(e);
            }
        }
    }
}
