/**
 * The LLaMA layers on ND4J, each with its forward and its hand-written backward side by side.
 *
 * <p>Buffers, as in llm.c: every array a layer writes is a named field, allocated by the layer's
 * {@code ensure...} method on the first call and again only when the batch shape changes
 * (evaluation may use another batch size), so the training loop allocates nothing large. A layer
 * keeps what its backward needs in its {@code Activations} (one per layer, or one shared by all
 * layers when activations are recomputed) and its temporaries in a {@code Scratch} that one
 * instance per model serves to every layer of the kind, since the layers run one at a time.
 *
 * <p>Gradients: every backward writes (=) its weight gradients and ADDS dL/dx to the gX it is
 * given (gX += dL/dx), so a residual stream collects its branches in place; a caller that wants
 * dL/dx alone zeroes gX first. Only {@link io.frugalspark.model.layers.LmHeadLoss}, where the
 * gradient starts, writes its gX.
 */
package io.frugalspark.model.layers;
