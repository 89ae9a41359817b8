package io.github.jrnn.nn.checkpoint;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves from the bytecode that no class is ever instantiated reflectively from pickle data: nothing on the read
 * path of a torch file calls or reads a member of reflection, class loading, method handles, Java
 * deserialization, scripting or process creation (checked on every method and field reference of the constant
 * pool; the {@code MethodHandles$Lookup} that javac lists for string concatenation and pattern switches is never
 * used by the code), and the unpickler proper constructs objects of a
 * fixed list of types only (checked on every {@code new} instruction). A pickle can therefore only ever produce the
 * values of {@link PickleValues}, whatever globals it names.
 */
class UnpicklerBuildsNothingReflectivelyTest {

    /** Everything a torch file passes through from {@link StateDicts#read} to a {@link StateDict}. */
    private static final List<Class<?>> READ_PATH = List.of(StateDicts.class, StateDict.class, StoredTensor.class,
            TensorStorage.class, CheckpointFormat.class, TorchZipReader.class, TorchLegacyReader.class,
            ZipDirectory.class, ZipDirectory.Entry.class, ChannelInput.class, InMemoryChannel.class,
            RestrictedUnpickler.class, PickleOpcodes.class, PickleGlobals.class, TorchCalls.class, TensorLayout.class,
            PickledStateDict.class, PickledStateDict.Flat.class, PickleValues.class, PickleValues.PyTuple.class,
            PickleValues.PyList.class, PickleValues.PyDict.class, PickleValues.TorchCallable.class,
            PickleValues.StorageType.class, PickleValues.DTypeConstant.class, PickleValues.StorageRef.class,
            PickleValues.TensorRef.class, ElementCodec.class);

    /** The unpickler proper: the code that turns opcodes into values. */
    private static final List<Class<?>> UNPICKLER = List.of(RestrictedUnpickler.class, PickleGlobals.class,
            TorchCalls.class, TensorLayout.class, PickleValues.class, PickleValues.PyTuple.class,
            PickleValues.PyList.class, PickleValues.PyDict.class);

    /** Every type the unpickler constructs: its values, their collections, and its messages. */
    private static final Set<String> UNPICKLER_CONSTRUCTS = Set.of(
            "io/github/jrnn/nn/checkpoint/PickleValues$PyTuple", "io/github/jrnn/nn/checkpoint/PickleValues$PyList",
            "io/github/jrnn/nn/checkpoint/PickleValues$PyDict", "io/github/jrnn/nn/checkpoint/PickleValues$StorageRef",
            "io/github/jrnn/nn/checkpoint/PickleValues$TensorRef",
            "io/github/jrnn/nn/checkpoint/PickleValues$StorageType",
            "io/github/jrnn/nn/checkpoint/PickleValues$DTypeConstant",
            "io/github/jrnn/nn/checkpoint/PickleValues$TorchCallable",
            "io/github/jrnn/nn/checkpoint/CheckpointFormatException", "java/lang/IllegalArgumentException",
            "java/lang/MatchException",
            "java/lang/StringBuilder", "java/lang/String", "java/math/BigInteger", "java/util/ArrayList",
            "java/util/HashMap", "java/util/LinkedHashMap");

    private static final List<String> FORBIDDEN_PREFIXES = List.of("java/lang/reflect/", "java/lang/ClassLoader",
            "java/net/URLClassLoader", "java/lang/invoke/MethodHandles", "java/lang/invoke/MethodHandle",
            "java/io/ObjectInputStream", "java/lang/ProcessBuilder", "javax/script/", "java/beans/",
            "javax/naming/", "java/util/ServiceLoader");

    private static final Set<String> FORBIDDEN_CLASS_METHODS = Set.of("forName", "newInstance", "getConstructor",
            "getConstructors", "getDeclaredConstructor", "getDeclaredConstructors", "getMethod", "getMethods",
            "getDeclaredMethod", "getDeclaredMethods", "getField", "getDeclaredField", "getClassLoader");

    @Test
    void nothingOnTheReadPathRefersToReflectionClassLoadingOrDeserialization() throws IOException {
        List<String> found = new ArrayList<>();
        for (Class<?> c : READ_PATH) {
            ClassModel model = parse(c);
            for (PoolEntry e : model.constantPool()) {
                if (e instanceof MemberRefEntry m) {
                    String owner = m.owner().asInternalName();
                    String name = m.name().stringValue();
                    boolean forbidden = FORBIDDEN_PREFIXES.stream().anyMatch(owner::startsWith)
                            || owner.equals("java/lang/Class") && FORBIDDEN_CLASS_METHODS.contains(name)
                            || (owner.equals("java/lang/Runtime") || owner.equals("java/lang/System"))
                            && Set.of("exec", "load", "loadLibrary").contains(name);
                    if (forbidden) {
                        found.add(c.getSimpleName() + " uses " + owner + "." + name);
                    }
                }
                if (e instanceof ClassEntry ce && ce.asInternalName().startsWith("java/lang/reflect/")) {
                    found.add(c.getSimpleName() + " refers to " + ce.asInternalName());
                }
            }
            for (MethodModel m : model.methods()) {
                m.code().ifPresent(code -> code.forEach(element -> {
                    if (element instanceof InvokeDynamicInstruction indy) {
                        String bootstrap = indy.bootstrapMethod().owner().descriptorString();
                        if (!Set.of("Ljava/lang/invoke/StringConcatFactory;", "Ljava/lang/runtime/ObjectMethods;",
                                "Ljava/lang/runtime/SwitchBootstraps;", "Ljava/lang/invoke/LambdaMetafactory;")
                                .contains(bootstrap)) {
                            found.add(c.getSimpleName() + " bootstraps through " + bootstrap);
                        }
                    }
                }));
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theUnpicklerConstructsOnlyAFixedListOfTypes() throws IOException {
        TreeSet<String> constructed = new TreeSet<>();
        for (Class<?> c : UNPICKLER) {
            for (MethodModel m : parse(c).methods()) {
                m.code().ifPresent(code -> code.forEach(element -> {
                    if (element instanceof NewObjectInstruction n) {
                        constructed.add(n.className().asInternalName());
                    }
                }));
            }
        }
        TreeSet<String> unexpected = new TreeSet<>(constructed);
        unexpected.removeAll(UNPICKLER_CONSTRUCTS);
        assertEquals(Set.of(), unexpected, "types constructed beyond the fixed list");
        assertTrue(constructed.contains("io/github/jrnn/nn/checkpoint/PickleValues$TensorRef"), constructed::toString);
    }

    private static ClassModel parse(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1)
                + ".class")) {
            return ClassFile.of().parse(in.readAllBytes());
        }
    }
}
