package io.edgeloop.protocol.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG, PNG and BMP into upright 8-bit RGB images ({@link BufferedImage#TYPE_INT_RGB}) with the values
 * PIL's {@code ImageOps.exif_transpose(Image.open(f)).convert("RGB")} gives, so that models trained with
 * torchvision see the same pixels here:
 *
 * <ul>
 *   <li>the container is checked first ({@link JpegContainer}, {@link PngContainer}, {@link BmpContainer}):
 *       the {@link DecodeLimits} on bytes and on <em>declared</em> pixels are enforced before any pixel is
 *       decoded (decompression bombs), and so is the heap the decode would take ({@link DecodeMemory} against
 *       {@link DecodeLimits#maxDecodeMemory()}), and truncated files are rejected (ImageIO would fill them with grey):
 *       a missing JPEG EOI or PNG IEND, short BMP pixel data, or a JPEG decoder warning of a premature end;</li>
 *   <li>the EXIF orientation is applied, all eight values (JPEG APP1; PNG eXIf, ImageMagick raw profile or XMP,
 *       see {@link PngContainer});</li>
 *   <li>greyscale, palette, 16-bit and alpha images are converted as {@link RgbConversion} describes (alpha is
 *       dropped, not composited); CMYK and YCCK JPEGs as {@link CmykConversion} describes;</li>
 *   <li>embedded ICC profiles are ignored, like PIL: the stored values are used.</li>
 * </ul>
 *
 * <p>Measured against PIL 9.4 (Debian, libjpeg-turbo) on the test fixtures: identical pixels for baseline JPEG
 * (with an Adobe RGB profile), greyscale, CMYK and YCCK JPEG, RGB, RGBA and palette PNG, 24 and 16-bit BMP, and
 * all eight EXIF orientations. Known differences: arithmetic-coded and 12-bit JPEGs are rejected (Java cannot
 * decode them; PIL can), 16-bit greyscale PNGs keep their high byte where PIL clips them to 255, and JPEGs whose
 * scan data stops early are rejected where PIL returns them grey-filled.
 *
 * <p>Thread-safe: holds only immutable configuration; every call uses its own ImageIO reader.
 */
public final class ImageDecoder {

    private final DecodeLimits limits;
    private final Map<ImageFormat, List<ImageReaderSpi>> readers = new EnumMap<>(ImageFormat.class);

    public ImageDecoder(DecodeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        for (ImageFormat format : ImageFormat.values()) {
            readers.put(format, readersFor(format));
        }
    }

    public DecodeLimits limits() {
        return limits;
    }

    /** Reads and decodes a file; the file size is checked before it is read. */
    public BufferedImage decode(Path file) throws IOException, ImageRejectedException {
        long size = Files.size(file);
        if (size > limits.maxBytes()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.TOO_LARGE,
                    file + ": " + size + " bytes, allowed at most " + limits.maxBytes());
        }
        return decode(Files.readAllBytes(file), file.toString());
    }

    /**
     * Decodes an encoded image.
     *
     * @param data   the encoded bytes
     * @param source what to call the image in error messages (file name, camera id)
     * @return an upright {@code TYPE_INT_RGB} image
     * @throws ImageRejectedException if the data is empty, over the limits, not JPEG/PNG/BMP, truncated or corrupt;
     *                                the message starts with {@code source}
     */
    public BufferedImage decode(byte[] data, String source) throws ImageRejectedException {
        ImageHeader header = checkedHeader(data, source);
        checkMemory(header, false, source);
        return header.orientation().apply(decodePixels(header, data, source));
    }

    /** The container's header once the byte and pixel limits passed: nothing is decoded before this. */
    private ImageHeader checkedHeader(byte[] data, String source) throws ImageRejectedException {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            throw new ImageRejectedException(ImageRejectedException.Reason.EMPTY, source + ": empty (0 bytes)");
        }
        if (data.length > limits.maxBytes()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.TOO_LARGE,
                    source + ": " + data.length + " bytes, allowed at most " + limits.maxBytes());
        }
        ImageHeader header = readHeader(ImageFormat.sniff(data, source), data, source);
        checkPixels(header.width(), header.height(), source);
        return header;
    }

    /**
     * Decodes like {@link #decode(byte[], String)} but for a stream of frames: the common camera formats are
     * decoded into an image whose raster is R, G, B bytes interleaved in one array (a {@code TYPE_CUSTOM} sRGB
     * image, no conversion to {@code TYPE_INT_RGB}), and into {@code reuse} when that is such an image of the same
     * size, as this method returned before. Camera pipelines thus decode every frame into the same memory: a
     * 640×480 frame otherwise costs 2 MB of garbage and one or two copying passes. Decoded in place:
     *
     * <ul>
     *   <li>colour JPEGs (three 8-bit components), which the JDK's JPEG reader fills with a plain row copy;</li>
     *   <li>8-bit RGB PNGs, which the JDK's PNG reader fills with a row copy (into its default
     *       {@code TYPE_3BYTE_BGR} it reorders every pixel through the generic raster code);</li>
     *   <li>uncompressed 24 and 32-bit BMPs, read row by row from the file's bytes ({@link BmpPixels}).</li>
     * </ul>
     *
     * <p>Other images (greyscale, palette, alpha, 16-bit, CMYK, EXIF-rotated, other BMP layouts), and any file the
     * in-place reading fails on, are decoded as {@link #decode(byte[], String)} does, after that path's memory
     * budget is checked too. The pixel values are the same either way; {@link ImagePreprocessor} and
     * {@link DifferenceHash} read both layouts in place.
     *
     * @param reuse an image the caller no longer needs (its pixels are overwritten), or null
     * @return an upright 8-bit RGB image, interleaved R, G, B bytes or {@code TYPE_INT_RGB}; possibly {@code reuse}
     * @throws ImageRejectedException as {@link #decode(byte[], String)} does, with the same messages
     */
    public BufferedImage decodeReusing(byte[] data, String source, BufferedImage reuse) throws ImageRejectedException {
        ImageHeader header = checkedHeader(data, source);
        boolean upright = header.orientation() == ExifOrientation.TOP_LEFT;
        boolean jpeg = upright && header.format() == ImageFormat.JPEG && header.components() == 3;
        boolean png = upright && header.format() == ImageFormat.PNG && header.bitsPerPixel() == 24;
        BmpPixels bmp = BmpPixels.of(data, header);
        if (!jpeg && !png && bmp == null) {
            checkMemory(header, false, source);
            return header.orientation().apply(decodePixels(header, data, source));
        }
        checkMemory(header, true, source);
        BufferedImage destination = InterleavedRgb.fits(reuse, header.width(), header.height())
                ? reuse : InterleavedRgb.create(header.width(), header.height());
        if (bmp != null) {
            bmp.readInto(data, ((DataBufferByte) destination.getRaster().getDataBuffer()).getData());
            return destination;
        }
        try {
            return readChecked(readers.get(header.format()).get(0), header,
                    jpeg ? JpegContainer.withoutIccProfile(data) : data, source, reader -> {
                        ImageReadParam param = reader.getDefaultReadParam();
                        param.setDestination(destination);
                        return reader.read(0, param);
                    });
        } catch (IOException | RuntimeException e) {
            // the general path tries every reader and rejects with the usual message if none can decode it; it makes
            // an RGB copy, so its budget applies
            checkMemory(header, false, source);
            return decodePixels(header, data, source);
        }
    }

    private static ImageHeader readHeader(ImageFormat format, byte[] data, String source)
            throws ImageRejectedException {
        return switch (format) {
            case JPEG -> JpegContainer.read(data, source);
            case PNG -> PngContainer.read(data, source);
            case BMP -> BmpContainer.read(data, source);
        };
    }

    private void checkPixels(long width, long height, String source) throws ImageRejectedException {
        long pixels = width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_PIXELS,
                    source + ": " + width + "x" + height + " = " + pixels + " pixels, allowed at most "
                            + limits.maxPixels());
        }
    }

    /**
     * Refuses an image whose decode would take more heap than {@link DecodeLimits#maxDecodeMemory()}, from its
     * header: on a small heap a frame well inside the pixel limit can otherwise exhaust it.
     */
    private void checkMemory(ImageHeader header, boolean inPlace, String source) throws ImageRejectedException {
        DecodeMemory memory = DecodeMemory.of(header, inPlace);
        if (memory.bytes() > limits.maxDecodeMemory()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.OVER_MEMORY_BUDGET,
                    source + ": " + header.width() + "x" + header.height() + " " + header.format()
                            + " would need " + memory.bytes() + " bytes to decode (" + memory.breakdown()
                            + "), over the decode memory budget of " + limits.maxDecodeMemory() + " bytes ("
                            + limits.memorySource() + ")");
        }
    }

    private BufferedImage decodePixels(ImageHeader header, byte[] data, String source)
            throws ImageRejectedException {
        boolean cmyk = header.format() == ImageFormat.JPEG && header.components() == 4;
        byte[] input = header.format() == ImageFormat.JPEG && !cmyk ? JpegContainer.withoutIccProfile(data) : data;
        Exception firstFailure = null;
        for (ImageReaderSpi spi : readers.get(header.format())) {
            try {
                return decodeWith(spi, header, input, cmyk, source);
            } catch (IOException | RuntimeException e) {
                // the next reader may cope (TwelveMonkeys reads some damaged files the JDK refuses)
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, source + ": corrupt "
                + header.format() + ", cannot decode it (" + firstFailure + ")", firstFailure);
    }

    private BufferedImage decodeWith(ImageReaderSpi spi, ImageHeader header, byte[] input, boolean cmyk,
                                     String source) throws IOException, ImageRejectedException {
        return readChecked(spi, header, input, source, reader -> cmyk
                ? CmykConversion.toRgb(reader.readRaster(0, null), header.adobeTransform() == 2)
                : RgbConversion.toIntRgb(reader.read(0)));
    }

    /** How one decoding call reads the pixels from a reader whose input is set. */
    @FunctionalInterface
    private interface PixelRead {
        BufferedImage read(ImageReader reader) throws IOException;
    }

    /**
     * Runs {@code read} on a fresh reader of {@code spi}, then rejects what the reader only warned about
     * (truncation) and results whose size differs from the header's.
     */
    private BufferedImage readChecked(ImageReaderSpi spi, ImageHeader header, byte[] input, String source,
                                      PixelRead read) throws IOException, ImageRejectedException {
        List<String> warnings = new ArrayList<>();
        ImageReader reader = spi.createReaderInstance();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(input))) {
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            reader.setInput(in, true, true);
            // The reader's own view of the size, in case it disagrees with the container walk.
            checkPixels(reader.getWidth(0), reader.getHeight(0), source);
            BufferedImage image = read.read(reader);
            for (String warning : warnings) {
                String lower = warning.toLowerCase(Locale.ROOT);
                if (lower.contains("premature end") || lower.contains("truncat")) {
                    throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
                            source + ": truncated " + header.format() + " (" + warning + ")");
                }
            }
            if (image.getWidth() != header.width() || image.getHeight() != header.height()) {
                throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, source + ": decoded "
                        + image.getWidth() + "x" + image.getHeight() + " pixels, the header declares "
                        + header.width() + "x" + header.height());
            }
            return image;
        } finally {
            reader.dispose();
        }
    }

    /**
     * The ImageIO readers tried for a format, in order. JPEG: the JDK's first (about a third faster), then
     * TwelveMonkeys' (copes with more damaged files). BMP: TwelveMonkeys' first (more BMP variants), then the JDK's.
     */
    private static List<ImageReaderSpi> readersFor(ImageFormat format) {
        List<ImageReaderSpi> jdk = new ArrayList<>();
        List<ImageReaderSpi> twelveMonkeys = new ArrayList<>();
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format.imageIoName()); it.hasNext(); ) {
            ImageReader reader = it.next();
            ImageReaderSpi spi = reader.getOriginatingProvider();
            reader.dispose();
            String name = spi.getClass().getName();
            if (name.startsWith("com.twelvemonkeys.")) {
                twelveMonkeys.add(spi);
            } else if (name.startsWith("com.sun.imageio.")) {
                jdk.add(spi);
            }
        }
        List<ImageReaderSpi> ordered = new ArrayList<>();
        if (format == ImageFormat.BMP) {
            ordered.addAll(twelveMonkeys);
            ordered.addAll(jdk);
        } else {
            ordered.addAll(jdk);
            ordered.addAll(twelveMonkeys);
        }
        if (ordered.isEmpty()) {
            throw new IllegalStateException("no ImageIO reader for " + format + " on the classpath");
        }
        return List.copyOf(ordered);
    }
}
