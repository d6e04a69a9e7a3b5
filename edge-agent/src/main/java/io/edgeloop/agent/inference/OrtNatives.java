package io.edgeloop.agent.inference;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * ONNX Runtime's native libraries extracted once into a folder of the device instead of into a new temporary
 * folder on every start (ORT's default: 22 MB written and read back per start). {@link #prepare} copies the
 * libraries of this platform out of the jar when the folder lacks them or holds other ones (another jar version),
 * then points ORT at the folder with its {@code onnxruntime.native.path} property. The unit file sets the folder
 * with {@code -Dedgeloop.ortNativeDir=DIR} (devices/systemd/edgeloop-agent.service).
 */
public final class OrtNatives {

    /** The system property naming the folder; unset, ORT extracts as usual. */
    public static final String DIR_PROPERTY = "edgeloop.ortNativeDir";
    /** ORT's own property: the folder it loads its libraries from. */
    public static final String ORT_PROPERTY = "onnxruntime.native.path";

    private static final List<String> LIBRARIES = List.of(System.mapLibraryName("onnxruntime"),
            System.mapLibraryName("onnxruntime4j_jni"));

    private OrtNatives() {
    }

    /**
     * Extracts the libraries into {@code dir} when needed (each written to a temporary file and renamed, so an
     * interrupted start leaves no half library) and sets {@link #ORT_PROPERTY}. Must run before the first ORT
     * class is initialised.
     *
     * @return how many libraries were written (0 when the folder was up to date)
     * @throws IOException if the jar has no libraries for this platform or the folder cannot be written; the
     *                     message names the folder and the platform
     */
    public static int prepare(Path dir) throws IOException {
        String platform = platform();
        Files.createDirectories(dir);
        int written = 0;
        for (String library : LIBRARIES) {
            String resource = "/ai/onnxruntime/native/" + platform + "/" + library;
            Path target = dir.resolve(library);
            URL url = OrtNatives.class.getResource(resource);
            if (url == null) {
                throw new IOException(ORT_PROPERTY + ": this jar has no ONNX Runtime library " + library + " for "
                        + platform + " (" + resource + "), so " + DIR_PROPERTY + " cannot be used here");
            }
            // the jar entry's recorded size: nothing is inflated when the folder is up to date
            long size = url.openConnection().getContentLengthLong();
            if (Files.isRegularFile(target) && Files.size(target) == size) {
                continue;
            }
            Path part = dir.resolve(library + ".part");
            try (InputStream in = url.openStream()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written++;
        }
        System.setProperty(ORT_PROPERTY, dir.toAbsolutePath().toString());
        return written;
    }

    /** ORT's platform folder name: {@code linux-x64}, {@code linux-aarch64}, … */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") ? "osx" : os.contains("win") ? "win"
                : os;
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return osName + "-" + archName;
    }
}
