package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter.WriteStep;

import java.nio.file.Path;

/**
 * Child-JVM entry point for {@link SafeTensorsKillDuringSaveTest}: {@code TARGET MEGABYTES POINT} saves a checkpoint
 * of about MEGABYTES MB (metadata {@code generation = new}, a small {@code marker} tensor and float tensors of 64 MB
 * each) over TARGET, and prints {@code now} the moment the save reaches POINT: a fraction of the data written
 * (e.g. {@code 0.5}), or {@code FORCE} / {@code MOVE} (just before the force to the device, or the rename). The
 * save goes on after printing; the parent kills the JVM when it reads the line. {@code done} is printed if the
 * save ends first.
 */
public final class LargeSaveMain {
    static final float[] MARKER = {4f, 3f, 2f, 1f};
    private static final int FLOATS_PER_TENSOR = 16 << 20; // 64 MB

    private LargeSaveMain() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        long total = Long.parseLong(args[1]) << 20;
        String point = args[2];
        SafeTensorsWriter writer = new SafeTensorsWriter().putMetadata("generation", "new")
                .putTensor("marker", Tensor.of(MARKER.clone(), 4));
        for (int i = 0; (long) i * FLOATS_PER_TENSOR * Float.BYTES < total; i++) {
            writer.putTensor("big" + i, Tensor.full(i + 0.5f, FLOATS_PER_TENSOR));
        }
        boolean[] said = {false};
        writer.write(target, (step, bytes) -> {
            boolean reached = point.equals(step.name())
                    || step == WriteStep.CHUNK && !point.equals("FORCE") && !point.equals("MOVE")
                    && bytes >= Double.parseDouble(point) * total;
            if (reached && !said[0]) {
                said[0] = true;
                System.out.println("now");
                System.out.flush();
            }
        });
        System.out.println("done");
    }
}
