package io.edgeloop.trainer.datasets;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which classes of Fashion-MNIST a task uses. edgeloop pretrains its own base model on the {@link #SOURCE} task
 * (the six clothing classes) and demonstrates transfer learning on the {@link #TARGET} task (the four held-out
 * classes: footwear and bags), which the base model has never seen.
 */
public enum FashionMnistTask {
    /** T-shirt/top, Trouser, Pullover, Dress, Coat, Shirt (labels 0–5). */
    SOURCE(EnumSet.range(FashionMnistClass.T_SHIRT_TOP, FashionMnistClass.SHIRT)),
    /** Sandal, Sneaker, Bag, Ankle boot (labels 6–9). */
    TARGET(EnumSet.range(FashionMnistClass.SANDAL, FashionMnistClass.ANKLE_BOOT)),
    /** All ten classes. */
    ALL(EnumSet.allOf(FashionMnistClass.class));

    private final Set<FashionMnistClass> classes;

    FashionMnistTask(Set<FashionMnistClass> classes) {
        this.classes = classes;
    }

    /** The task's classes in label order. */
    public List<FashionMnistClass> classes() {
        return List.copyOf(classes);
    }

    /** True when images of this class belong to the task. */
    public boolean contains(FashionMnistClass c) {
        return classes.contains(c);
    }

    /** Name as used on the command line: {@code source}, {@code target}, {@code all}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name, case-insensitively; the error lists the allowed names. */
    public static FashionMnistTask parse(String text) {
        for (FashionMnistTask t : values()) {
            if (t.cliName().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("task '" + text + "' is not one of "
                + Arrays.stream(values()).map(FashionMnistTask::cliName).collect(Collectors.joining(", ")));
    }
}
