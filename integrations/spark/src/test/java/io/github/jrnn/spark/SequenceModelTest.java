package io.github.jrnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Sequential;
import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** What travels to the executors, and how a Sequential is split into the recurrent layer and the head. */
class SequenceModelTest {

    @Test
    void aDeserialisedScorerUsesTheSameSharedModelNotACopy() throws Exception {
        GRU gru = GRU.builder(4, 3).generator(new Generator(31)).build();
        SequenceModel<GRU> model = SequenceModel.recurrent(ModelHandle.of(gru, GRU.class));
        SparkSequenceScorer scorer = SparkSequenceScorer.builder(model).input(SequenceInput.nested("seq")).build();

        SparkSequenceScorer copy = roundTrip(scorer);
        SequenceModel<?> copiedModel = roundTrip(model);

        // a module travelling inside the scorer would come back as another instance; the handle finds the one
        // this JVM already loaded
        assertSame(model.parts().recurrent(), copiedModel.parts().recurrent());
        assertEquals(scorer.errorColumn(), copy.errorColumn());
    }

    @Test
    void sequentialWithoutAFirstRecurrentChildIsRefusedWhenLoaded() throws Exception {
        Sequential linearFirst = new Sequential(new Linear(3, 2), GRU.builder(2, 2).build());
        SequenceModel<Sequential> model = SequenceModel.sequential(ModelHandle.of(linearFirst, Sequential.class));
        assertEquals("SequenceModel.sequential needs a Sequential whose child (0) is an RNN, GRU or LSTM, got child"
                + " (0) Linear", assertThrows(IllegalArgumentException.class, model::parts).getMessage());
    }

    @SuppressWarnings("unchecked") // the stream gives back what was written
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
