package io.github.jrnn.spark;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * What a scored row receives, for a sequence of L steps through a recurrent layer with D directions and top-layer
 * state width H_out (hidden_size, or proj_size for a projected LSTM).
 */
public enum ScoreOutput {
    /**
     * The top layer's output at every step, {@code array<array<float>>} of shape (L, D * H_out): PyTorch's
     * {@code output} for this one sequence (both directions side by side, forward first).
     */
    OUTPUT_SEQUENCE(DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false)),
    /**
     * The last hidden state, {@code array<float>} of D * H_out: the top layer's final state of each direction,
     * concatenated ({@code torch.cat([h_n[-2], h_n[-1]], dim=1)} when bidirectional, {@code h_n[-1]} otherwise).
     */
    LAST_HIDDEN(DataTypes.createArrayType(DataTypes.FloatType, false)),
    /**
     * The head applied to the last hidden state, {@code array<float>} of the head's output width K (e.g. a
     * classifier's logits). Needs a model with a head.
     */
    HEAD_LOGITS(DataTypes.createArrayType(DataTypes.FloatType, false));

    private final ArrayType sparkType;

    ScoreOutput(ArrayType sparkType) {
        this.sparkType = sparkType;
    }

    /**
     * The Spark SQL type of the value.
     *
     * @return {@code array<array<float>>} for {@link #OUTPUT_SEQUENCE}, {@code array<float>} otherwise
     */
    public DataType sparkType() {
        return sparkType;
    }
}
