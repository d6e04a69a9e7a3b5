package io.edgeloop.trainer.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static byte[] payload(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (250 - i);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsDimensionsAndUnsignedData(boolean gzip) throws Exception {
        // The name says nothing about compression: it is detected from the content.
        Path file = IdxFiles.write(dir.resolve("images"), IdxFiles.bytes(0x803, new int[] {2, 3, 4}, payload(24)),
                gzip);
        IdxArray a = IdxReader.read(file);
        assertArrayEquals(new int[] {2, 3, 4}, a.dims());
        assertEquals(2, a.count());
        assertEquals(12, a.itemSize());
        assertEquals(250, a.get(0));
        assertEquals(227, a.get(23));
        byte[] second = new byte[12];
        a.copyItem(1, second);
        assertArrayEquals(Arrays.copyOfRange(payload(24), 12, 24), second);
        assertEquals("2 × 3 × 4", a.shapeText());
        assertEquals(file, a.source());
    }

    @Test
    void readsVectorOfLabels() throws Exception {
        Path file = IdxFiles.write(dir.resolve("labels.gz"), IdxFiles.bytes(0x801, new int[] {5},
                new byte[] {9, 0, 0, 3, 0}), true);
        IdxArray a = IdxReader.read(file);
        assertEquals(5, a.count());
        assertEquals(1, a.itemSize());
        assertEquals(9, a.get(0));
        assertEquals(3, a.get(3));
    }

    @Test
    void rejectsBadMagic() throws Exception {
        Path file = IdxFiles.write(dir.resolve("x"), IdxFiles.bytes(0x01000803, new int[] {1, 1, 1}, payload(1)),
                false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals("IDX file " + file + " has bad magic number 0x01000803: expected 0x0000TTNN (two zero"
                + " bytes, data type TT, number of dimensions NN), e.g. 0x00000803 for images", e.getMessage());
    }

    @Test
    void rejectsUnsupportedDataType() throws Exception {
        Path file = IdxFiles.write(dir.resolve("x"), IdxFiles.bytes(0x0D01, new int[] {1}, payload(4)), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals("IDX file " + file + " has data type 0x0D (float): only 0x08 (unsigned byte) is supported",
                e.getMessage());
    }

    @Test
    void rejectsZeroDimensions() throws Exception {
        Path file = IdxFiles.write(dir.resolve("x"), IdxFiles.bytes(0x0800, new int[0], payload(0)), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals("IDX file " + file + " declares 0 dimensions: allowed 1 to 8", e.getMessage());
    }

    @Test
    void rejectsNegativeDimension() throws Exception {
        Path file = IdxFiles.write(dir.resolve("x"), IdxFiles.bytes(0x0802, new int[] {2, -5}, payload(0)), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals("IDX file " + file + ": dimension 1 has size -5 (0xFFFFFFFB): sizes must be >= 0",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rejectsTruncatedData(boolean gzip) throws Exception {
        Path file = IdxFiles.write(dir.resolve("x"), IdxFiles.bytes(0x803, new int[] {10, 28, 28}, payload(100)),
                gzip);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals("IDX file " + file + " is truncated: its header declares 10 × 28 × 28 = 7840 data bytes,"
                + " found only 100", e.getMessage());
    }

    @Test
    void rejectsTruncatedHeader() throws Exception {
        byte[] full = IdxFiles.bytes(0x803, new int[] {10, 28, 28}, payload(0));
        Path file = IdxFiles.write(dir.resolve("x"), Arrays.copyOf(full, 10), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals("IDX file " + file + " is truncated: the header ends inside its 32-bit word 2 (size of"
                + " dimension 1)", e.getMessage());
    }

    @Test
    void rejectsEmptyFile() throws Exception {
        Path file = Files.write(dir.resolve("empty"), new byte[0]);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals("IDX file " + file + " is truncated: the header ends inside its 32-bit word 0 (magic number)",
                e.getMessage());
    }

    @Test
    void rejectsTrailingBytes() throws Exception {
        Path file = IdxFiles.write(dir.resolve("x"), IdxFiles.bytes(0x801, new int[] {3}, payload(4)), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals("IDX file " + file + " has trailing bytes after the 3 data bytes its header declares (3)",
                e.getMessage());
    }

    @Test
    void rejectsCutGzipStream() throws Exception {
        Path whole = IdxFiles.write(dir.resolve("whole.gz"), IdxFiles.bytes(0x801, new int[] {3000},
                payload(3000)), true);
        byte[] gz = Files.readAllBytes(whole);
        Path file = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals("IDX file " + file + " is not a valid gzip stream: Unexpected end of ZLIB input stream",
                e.getMessage());
    }
}
