package io.github.jrnn.nn.checkpoint;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values {@link RestrictedUnpickler} builds: the only objects that ever come out of a pickle. Plain Python
 * values map to {@code null} (None), {@link Boolean}, {@link Long} or {@link BigInteger} (int),
 * {@link Double} (float) and {@link String} (str); containers and torch objects to the classes here.
 *
 * <p>Containers compare by identity and print without their contents: a pickle can make a container hold itself
 * (through the memo), and a recursive {@code equals}, {@code hashCode} or {@code toString} would never end.
 */
final class PickleValues {
    private PickleValues() {
    }

    /** A Python tuple. */
    static final class PyTuple {
        final List<Object> items;

        PyTuple(List<Object> items) {
            // Not List.copyOf: it refuses nulls, and None is a valid item.
            this.items = Collections.unmodifiableList(new ArrayList<>(items));
        }

        @Override
        public String toString() {
            return "tuple of " + items.size();
        }
    }

    /** A Python list. */
    static final class PyList {
        final List<Object> items = new ArrayList<>();

        @Override
        public String toString() {
            return "list of " + items.size();
        }
    }

    /** A Python dict or {@code collections.OrderedDict}, keys {@link String} or {@link Long}, in insertion order. */
    static final class PyDict {
        final Map<Object, Object> items = new LinkedHashMap<>();
        final boolean ordered;
        /** Attributes set by BUILD (an OrderedDict state dict's {@code _metadata}); empty otherwise. */
        final Map<Object, Object> attributes = new LinkedHashMap<>();

        PyDict(boolean ordered) {
            this.ordered = ordered;
        }

        @Override
        public String toString() {
            return (ordered ? "OrderedDict" : "dict") + " of " + items.size();
        }
    }

    /** The callables a state dict may apply with REDUCE; see {@link TorchCalls}. */
    enum TorchCallable {
        ORDERED_DICT("collections.OrderedDict"),
        REBUILD_TENSOR_V2("torch._utils._rebuild_tensor_v2"),
        REBUILD_PARAMETER("torch._utils._rebuild_parameter"),
        REBUILD_PARAMETER_WITH_STATE("torch._utils._rebuild_parameter_with_state"),
        SIZE("torch.Size");

        final String qualifiedName;

        TorchCallable(String qualifiedName) {
            this.qualifiedName = qualifiedName;
        }
    }

    /** A typed storage class such as {@code torch.FloatStorage}: only meaningful inside a storage persistent id. */
    record StorageType(String qualifiedName, DType dtype) {
    }

    /** A dtype constant such as {@code torch.float16}, kept as a plain value. */
    record DTypeConstant(String qualifiedName, DType dtype) {
    }

    /**
     * A storage named by a persistent id: its key in the file, element type, the device it was saved from (the
     * bytes are the same for every device) and element count. The bytes are read once the whole pickle is known.
     */
    record StorageRef(String key, DType dtype, String location, long numel) {
    }

    /** A tensor rebuilt by {@code _rebuild_tensor_v2}, checked against its storage by {@link TensorLayout}. */
    record TensorRef(StorageRef storage, long offset, int[] shape, long[] strides, long numel) {
    }

    /** The Python name of a value's type, for messages. */
    static String typeName(Object v) {
        if (v == null) {
            return "None";
        }
        return switch (v) {
            case Boolean b -> "bool";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Double d -> "float";
            case String s -> "str";
            case PyTuple t -> "tuple";
            case PyList l -> "list";
            case PyDict d -> d.ordered ? "OrderedDict" : "dict";
            case TensorRef t -> "tensor";
            case StorageRef s -> "storage";
            case TorchCallable c -> c.qualifiedName;
            case StorageType s -> s.qualifiedName();
            case DTypeConstant d -> d.qualifiedName();
            default -> v.getClass().getSimpleName();
        };
    }
}
