package io.edgeloop.trainer.base;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One published pretrained classifier in a {@link BaseCatalog}: where its ONNX file is, the exact bytes to expect
 * (size and SHA-256, as the publisher's Git LFS pointer gives them), its input and preprocessing, its licence and
 * its labels. Validated on construction; every message names the field, the bad value and what is allowed.
 *
 * @param name          catalogue name, used on the command line and as the package's card name:
 *                      {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}
 * @param description   one line for people: architecture, accuracy, size
 * @param url           where the ONNX file is downloaded from: http or https (the shipped catalogue uses https)
 * @param sizeBytes     exact file size in bytes, {@code > 0}
 * @param sha256        SHA-256 of the file, 64 lowercase hex digits
 * @param opset         the default-domain ONNX opset of the file, {@code >= 7}
 * @param input         the image input as documented
 * @param preprocessing how images become the input; its crop size equals {@code input.size}
 * @param licence       licence of the weights (SPDX identifier where there is one)
 * @param labels        label set of the output: {@value #IMAGENET_1K} (the only one the catalogue knows)
 * @param source        where the entry's facts were read (publisher, path, commit); may be absent
 * @param notes         anything else worth knowing (exporter, head type); may be absent
 */
public record BaseEntry(
        String name,
        String description,
        String url,
        long sizeBytes,
        String sha256,
        int opset,
        BaseInput input,
        PreprocessSpec preprocessing,
        String licence,
        String labels,
        String source,
        String notes) {

    /** The ImageNet-1k label set (ILSVRC-2012, 1000 classes in the standard order). */
    public static final String IMAGENET_1K = "imagenet-1k";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public BaseEntry {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name is " + quoted(name) + ", allowed 1-64 letters, digits, '.', '_'"
                    + " or '-', starting with a letter or digit");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("description is " + quoted(description)
                    + ", allowed one line of text");
        }
        requireUrl(url);
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("sizeBytes is " + sizeBytes + ", allowed the file size in bytes"
                    + " (> 0)");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 is " + quoted(sha256) + ", allowed 64 lowercase hex"
                    + " digits");
        }
        if (opset < 7) {
            throw new IllegalArgumentException("opset is " + opset + ", allowed 7 or newer (the importer and"
                    + " ONNX Runtime need opset 7+)");
        }
        if (input == null) {
            throw new IllegalArgumentException("input is missing, allowed {name, layout, size}");
        }
        if (preprocessing == null) {
            throw new IllegalArgumentException("preprocessing is missing, allowed {resize, resizeSize, cropSize,"
                    + " mean, std, valueScale, colourOrder}");
        }
        if (preprocessing.cropSize() != input.size()) {
            throw new IllegalArgumentException("preprocessing.cropSize is " + preprocessing.cropSize()
                    + ", allowed input.size (" + input.size() + ")");
        }
        if (licence == null || licence.isBlank()) {
            throw new IllegalArgumentException("licence is " + quoted(licence) + ", allowed the licence of the"
                    + " weights, e.g. Apache-2.0");
        }
        if (!IMAGENET_1K.equals(labels)) {
            throw new IllegalArgumentException("labels is " + quoted(labels) + ", allowed \"" + IMAGENET_1K
                    + "\"");
        }
    }

    /** The download URL. */
    public URI uri() {
        return URI.create(url);
    }

    /** Size in decimal megabytes, for tables. */
    public double sizeMegabytes() {
        return sizeBytes / 1e6;
    }

    /** The input as a short text: {@code 224 NCHW}. */
    public String inputText() {
        return input.size() + " " + input.layout();
    }

    private static void requireUrl(String url) {
        String allowed = ", allowed an absolute http or https URL";
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is " + quoted(url) + allowed);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is \"" + url + "\" (" + e.getReason() + ")" + allowed, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("url is \"" + url + "\"" + allowed);
        }
    }

    private static String quoted(String value) {
        return value == null ? "missing" : "\"" + value + "\"";
    }
}
