import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples went (jdk.ExecutionSample: threads running Java code).
 *
 *   java bench/JfrTop.java [--top N] [--prefix io.datasette.dclient.] [--focus METHOD] FILE.jfr...
 *
 * Prints, over all the files given (e.g. several runs of one command), with percentages of
 * the samples: samples per thread; the top-of-stack methods (self time); the methods on the
 * stack (total time, each method counted once per sample); the nearest project frame of each
 * sample (the project method responsible: self time of project code plus the library and JDK
 * code it called); the library/JDK area of the top frame; and GC pauses (jdk.GarbageCollection),
 * which take CPU outside the samples. Record with a short sampling period for short runs, e.g.
 * settings from bench/jfr-profile (1 ms). With --focus (a method name, Class.method or a
 * suffix of one), the samples with that method on the stack are broken down by the methods it
 * calls (the next frame up) and by their top frame.
 */
public class JfrTop {
    public static void main(String[] args) throws Exception {
        int top = 12;
        String prefix = "io.datasette.dclient.";
        String focus = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--prefix" -> prefix = args[++i];
                case "--focus" -> focus = args[++i];
                default -> files.add(Path.of(args[i]));
            }
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> project = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Integer> callees = new HashMap<>();
        Map<String, Integer> focusTop = new HashMap<>();
        int focused = 0;
        int samples = 0;
        Duration gc = Duration.ZERO;
        int gcs = 0;
        for (Path f : files) {
            for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
                String type = e.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gc = gc.plus(e.getDuration());
                    gcs++;
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample")) continue;
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) continue;
                samples++;
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(thread == null ? "?" : thread.replaceAll("-\\d+$", "-N"), 1, Integer::sum);
                List<RecordedFrame> frames = st.getFrames();
                String first = name(frames.get(0));
                self.merge(first, 1, Integer::sum);
                areas.merge(area(first, prefix), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                String proj = null;
                for (RecordedFrame fr : frames) {
                    String n = name(fr);
                    if (seen.add(n)) total.merge(n, 1, Integer::sum);
                    if (proj == null && n.startsWith(prefix)) proj = n;
                }
                project.merge(proj == null ? "(no project frame: JDK/library thread)" : proj, 1, Integer::sum);
                if (focus != null) {
                    // frames run from the top (index 0) down to the thread's entry point: the
                    // outermost occurrence of the focus method, and the frame it called
                    for (int k = frames.size() - 1; k >= 0; k--) {
                        String n = name(frames.get(k));
                        if (n.equals(focus) || n.endsWith("." + focus) || n.endsWith(focus)) {
                            focused++;
                            callees.merge(k == 0 ? "(self)" : name(frames.get(k - 1)), 1, Integer::sum);
                            focusTop.merge(first, 1, Integer::sum);
                            break;
                        }
                    }
                }
            }
        }
        System.out.printf("%d samples in %d file(s)%n", samples, files.size());
        print("threads", threads, samples, top);
        print("top of stack (self)", self, samples, top);
        print("area of the top frame", areas, samples, top);
        print("nearest project frame (project code and what it calls)", project, samples, top);
        Map<String, Integer> projTotal = new HashMap<>();
        for (var e : total.entrySet()) {
            if (e.getKey().startsWith(prefix)) projTotal.put(e.getKey(), e.getValue());
        }
        print("project methods on the stack (total)", projTotal, samples, top);
        print("any method on the stack (total)", total, samples, top);
        if (focus != null) {
            System.out.printf("%n%s: on the stack in %d samples (%.1f%%)%n", focus, focused, 100.0 * focused / samples);
            print("  ... calls (percent of all samples)", callees, samples, top);
            print("  ... top of stack (percent of all samples)", focusTop, samples, top);
        }
        System.out.printf("%nGC: %d pauses, %.0f ms in all (%.0f ms per file)%n", gcs, gc.toNanos() / 1e6,
                gc.toNanos() / 1e6 / Math.max(1, files.size()));
    }

    static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null) return "?";
        return m.getType().getName() + "." + m.getName();
    }

    /** A coarse owner of a top frame: the project's package, a library, or a JDK area. */
    static String area(String method, String prefix) {
        if (method.startsWith(prefix)) {
            String rest = method.substring(prefix.length());
            int dot = rest.indexOf('.');
            return prefix + (dot > 0 ? rest.substring(0, dot) : rest) + ".*";
        }
        String[][] known = {
            {"com.fasterxml.jackson.core.", "jackson-core (parse/generate)"},
            {"com.fasterxml.jackson.databind.", "jackson-databind (tree/serialize)"},
            {"jdk.internal.net.http.", "JDK HttpClient"},
            {"java.net.http.", "JDK HttpClient"},
            {"sun.nio.", "NIO (sockets, selector)"},
            {"java.nio.", "NIO buffers/charsets"},
            {"java.io.", "java.io (streams, PrintStream)"},
            {"sun.nio.cs.", "charset coding"},
            {"java.lang.String", "String/StringBuilder"},
            {"java.lang.AbstractStringBuilder", "String/StringBuilder"},
            {"java.lang.StringLatin1", "String/StringBuilder"},
            {"java.lang.StringUTF16", "String/StringBuilder"},
            {"java.util.regex.", "regex"},
            {"java.util.concurrent.", "java.util.concurrent"},
            {"java.util.", "java.util collections"},
            {"java.lang.invoke.", "method handles/lambdas"},
            {"jdk.internal.misc.", "JDK internals (Unsafe)"},
            {"jdk.jfr.", "JFR itself"},
        };
        for (String[] k : known) {
            if (method.startsWith(k[0])) return k[1];
        }
        int dot = method.lastIndexOf('.');
        String type = dot > 0 ? method.substring(0, dot) : method;
        int pkg = type.lastIndexOf('.');
        return (pkg > 0 ? type.substring(0, pkg) : type) + ".*";
    }

    static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.printf("%n%s%n", title);
        counts.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue())
                .limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / samples, e.getValue(),
                        e.getKey()));
    }
}
