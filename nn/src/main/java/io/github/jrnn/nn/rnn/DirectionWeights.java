package io.github.jrnn.nn.rnn;

import io.github.jrnn.nn.layers.Parameter;

/**
 * The parameters of one (layer, direction) of a sequence module, or of a cell. G = gates, H = hidden_size,
 * H_out = proj_size or H, in = the layer's input features. The module's packed copies of these weights are kept
 * apart, in {@link PackedWeights}.
 */
record DirectionWeights(
        Parameter weightIh,       // (G * H, in)
        Parameter weightHh,       // (G * H, H_out)
        Parameter biasIh,         // (G * H), null without bias
        Parameter biasHh,         // (G * H), null without bias
        Parameter weightHr) {     // (H_out, H), LSTM with proj_size only, else null
}
