package io.frugalspark.dl4j;

import io.frugalspark.optim.Role;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/** The role of a DL4J parameter in FRUGAL's partition: attention and MLP matrices form the projectable group. */
@FunctionalInterface
public interface ParamRoles {

    Role role(Layer layer, String param, boolean bias);

    /**
     * Embeddings, output layers (the lm_head), batch norms and biases are regular (AdamW); every other
     * weight matrix counts as MLP, so hidden dense layers are projectable.
     */
    static ParamRoles defaults() {
        return (layer, param, bias) -> {
            if (layer instanceof EmbeddingLayer || layer instanceof EmbeddingSequenceLayer) {
                return bias ? Role.OTHER : Role.EMBEDDING;
            }
            if (layer instanceof BaseOutputLayer) {
                return Role.LM_HEAD;
            }
            if (layer instanceof BatchNormalization) {
                return Role.NORM;
            }
            return bias ? Role.OTHER : Role.MLP;
        };
    }
}
