package io.edgeloop.trainer.deploy;

/**
 * How large a canary is: a share of the online fleet ({@code 10%}, rounded up, at least one device) or a count
 * ({@code 2}).
 *
 * @param value   the percentage (1..99) or the device count (1 or more)
 * @param percent whether {@code value} is a percentage
 */
public record CanarySize(int value, boolean percent) {

    private static final String ALLOWED = "allowed N% with N in 1..99, or a device count N >= 1";

    public CanarySize {
        if (percent ? value < 1 || value > 99 : value < 1) {
            throw new IllegalArgumentException("--canary " + value + (percent ? "%" : "") + " is out of range, "
                    + ALLOWED);
        }
    }

    /** Parses {@code 25%} or {@code 2}. */
    public static CanarySize parse(String text) {
        String t = text.strip();
        boolean percent = t.endsWith("%");
        String digits = percent ? t.substring(0, t.length() - 1) : t;
        if (!digits.matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException("--canary " + text + " is not a size, " + ALLOWED);
        }
        return new CanarySize(Integer.parseInt(digits), percent);
    }

    /** The number of canary devices in a fleet of {@code online} devices. */
    public int of(int online) {
        return percent ? Math.max(1, (int) Math.ceil(online * value / 100.0)) : value;
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }
}
