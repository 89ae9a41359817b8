import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Summarises PIT's mutations.xml reports as a Markdown table of mutation scores per class, then lists the mutants
 * no report detected. Given several reports (e.g. one per vector width, same classes), a mutant counts as detected
 * when any of them detected it: the build runs the kernel properties at every width, so a mutant the properties
 * catch at one width is caught. A report may cover fewer classes than another (a focused run at one width): each
 * mutant counts from the reports that have it.
 *
 * <p>Besides the total, it counts the kernels' front door apart from their implementations: the public
 * {@code Kernels} family ({@code KernelBase}, the family classes named {@code *Kernels} and {@code Kernels}
 * itself: each kernel's public method and its call of the checks) with the {@code *Checks} classes, against the
 * implementations ({@code Scalar*}, {@code Vector*} and the product, packing and threading classes), which is
 * where the project's 90% target applies. Run with the JDK's source launcher:
 * {@code java tools/MutationSummary.java property-tests/target/pit-reports/mutations.xml [more.xml ...]}.
 */
public final class MutationSummary {

    /** PIT's statuses that count as detected (the mutant made a test fail, hang or crash its JVM). */
    private static final List<String> DETECTED = List.of("KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR");

    /** One mutant, identified across reports by class, method, mutator and bytecode position. */
    private record Mutant(String className, String method, String descriptor, String mutator, String indexes,
                          int line, String description) {
    }

    private MutationSummary() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java tools/MutationSummary.java mutations.xml [more mutations.xml ...]");
            System.exit(2);
        }
        Map<Mutant, String> best = new LinkedHashMap<>(); // mutant -> DETECTED status if any report had one
        for (String report : args) {
            for (Map.Entry<Mutant, String> entry : read(Path.of(report)).entrySet()) {
                best.merge(entry.getKey(), entry.getValue(), (a, b) -> DETECTED.contains(a) ? a : b);
            }
        }
        Map<String, int[]> perClass = new TreeMap<>(); // class -> {mutants, detected, survived, no coverage}
        List<Mutant> undetected = new ArrayList<>();
        best.forEach((mutant, status) -> {
            int[] counts = perClass.computeIfAbsent(simpleName(mutant.className()), c -> new int[4]);
            counts[0]++;
            if (DETECTED.contains(status)) {
                counts[1]++;
            } else {
                counts[status.equals("NO_COVERAGE") ? 3 : 2]++;
                undetected.add(mutant);
            }
        });
        int[] total = new int[4];
        System.out.println("| class | mutants | killed | survived | no coverage | score |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        perClass.forEach((name, c) -> {
            System.out.println(row(name, c));
            for (int i = 0; i < 4; i++) {
                total[i] += c[i];
            }
        });
        int[] frontDoor = new int[4];
        perClass.forEach((name, c) -> {
            if (isFrontDoor(name)) {
                for (int i = 0; i < 4; i++) {
                    frontDoor[i] += c[i];
                }
            }
        });
        int[] implementations = new int[4];
        for (int i = 0; i < 4; i++) {
            implementations[i] = total[i] - frontDoor[i];
        }
        System.out.println(row("**kernel implementations** (all but the front door)", implementations));
        System.out.println(row("**front door** (`KernelBase`, the `*Kernels` family classes, `Kernels`, the "
                + "`*Checks` classes)", frontDoor));
        System.out.println(row("**all**", total));
        System.out.println();
        System.out.println("Not detected (" + undetected.size() + "):");
        undetected.stream()
                .sorted((a, b) -> a.className().equals(b.className()) ? Integer.compare(a.line(), b.line())
                        : a.className().compareTo(b.className()))
                .forEach(m -> System.out.println("  " + simpleName(m.className()) + "." + m.method() + ":"
                        + m.line() + " [" + best.get(m) + "] " + m.description()));
    }

    private static String row(String name, int[] c) {
        return String.format("| %s | %d | %d | %d | %d | %.1f%% |", name, c[0], c[1], c[2], c[3],
                c[0] == 0 ? 100.0 : 100.0 * c[1] / c[0]);
    }

    /**
     * Whether a class (simple name) is part of the kernels' front door: the abstract classes of the public
     * {@code Kernels} family and the argument checks they call. The two implementations of the family,
     * {@code ScalarKernels} and {@code VectorKernels}, share the suffix and are not; nested classes count with their
     * outer class.
     */
    private static boolean isFrontDoor(String simpleName) {
        String outer = simpleName.contains("$") ? simpleName.substring(0, simpleName.indexOf('$')) : simpleName;
        if (outer.startsWith("Scalar") || outer.startsWith("Vector")) {
            return false;
        }
        return outer.equals("KernelBase") || outer.endsWith("Kernels") || outer.endsWith("Checks");
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static Map<Mutant, String> read(Path report) throws Exception {
        if (!Files.isRegularFile(report)) {
            throw new IllegalArgumentException("no PIT report at " + report);
        }
        NodeList nodes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                .getElementsByTagName("mutation");
        Map<Mutant, String> mutants = new LinkedHashMap<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            Mutant mutant = new Mutant(text(e, "mutatedClass"), text(e, "mutatedMethod"),
                    text(e, "methodDescription"), text(e, "mutator"), text(e, "indexes"),
                    Integer.parseInt(text(e, "lineNumber")), text(e, "description"));
            mutants.put(mutant, e.getAttribute("status"));
        }
        return mutants;
    }

    private static String text(Element mutation, String tag) {
        NodeList found = mutation.getElementsByTagName(tag);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
    }
}
