package io.github.jrnn.bench.study;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * A small line chart drawn with Java2D into a PNG (headless): one polyline with point markers per series, an
 * optional dashed horizontal reference line, ticks at the x values that occur in the data, linear or logarithmic
 * axes, and a legend to the right of the plot.
 */
final class LineChart {

    /** One data point. */
    record Point(double x, double y) {
    }

    /** A named polyline; points are drawn in x order. */
    record Series(String name, List<Point> points) {
    }

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 260;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0x7f7f7f)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();
    private String referenceName;
    private double referenceY = Double.NaN;

    LineChart(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
    }

    /** Adds a series unless it has no points (a peer that did not run leaves no empty legend entry). */
    LineChart add(Series s) {
        if (!s.points().isEmpty()) {
            series.add(new Series(s.name(), s.points().stream()
                    .sorted((a, b) -> Double.compare(a.x(), b.x())).toList()));
        }
        return this;
    }

    /** A dashed horizontal line, e.g. the machine's FMA peak. */
    LineChart reference(String name, double y) {
        this.referenceName = name;
        this.referenceY = y;
        return this;
    }

    /** The legend entries, in drawing order. */
    List<String> seriesNames() {
        return series.stream().map(Series::name).toList();
    }

    boolean isEmpty() {
        return series.isEmpty();
    }

    void writePng(Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g);
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private void draw(Graphics2D g) {
        TreeSet<Double> xs = new TreeSet<>();
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                xs.add(p.x());
                yMin = Math.min(yMin, p.y());
                yMax = Math.max(yMax, p.y());
            }
        }
        if (!Double.isNaN(referenceY)) {
            yMin = Math.min(yMin, referenceY);
            yMax = Math.max(yMax, referenceY);
        }
        Axis x = xs.isEmpty() ? new Axis(0, 1, logX) : Axis.padded(xs.first(), xs.last(), logX);
        Axis y = logY ? Axis.padded(yMin, yMax, true) : new Axis(0, yMax <= 0 ? 1 : yMax * 1.08, false);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 34);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (double tick : y.ticks()) {
            int py = TOP + plotH - (int) Math.round(y.fraction(tick) * plotH);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = Axis.label(tick);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        for (double tick : xs) {
            int px = LEFT + (int) Math.round(x.fraction(tick) * plotW);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = Axis.label(tick);
            g.drawString(label, px - fm.stringWidth(label) / 2, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, HEIGHT - 24);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotH / 2 + fm.stringWidth(yLabel) / 2), 22);
        rotated.dispose();

        int legendY = TOP + 10;
        int legendX = LEFT + plotW + 20;
        if (!Double.isNaN(referenceY)) {
            int py = TOP + plotH - (int) Math.round(y.fraction(referenceY) * plotH);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5},
                    0));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.drawLine(legendX, legendY, legendX + 24, legendY);
            g.setStroke(new BasicStroke(1));
            g.drawString(referenceName, legendX + 32, legendY + 5);
            legendY += 24;
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            g.setColor(PALETTE[i % PALETTE.length]);
            g.setStroke(new BasicStroke(2.2f));
            Path2D line = new Path2D.Double();
            for (int j = 0; j < s.points().size(); j++) {
                Point p = s.points().get(j);
                double px = LEFT + x.fraction(p.x()) * plotW;
                double py = TOP + plotH - y.fraction(p.y()) * plotH;
                if (j == 0) {
                    line.moveTo(px, py);
                } else {
                    line.lineTo(px, py);
                }
                g.fillOval((int) Math.round(px) - 4, (int) Math.round(py) - 4, 8, 8);
            }
            g.draw(line);
            g.drawLine(legendX, legendY, legendX + 24, legendY);
            g.fillOval(legendX + 8, legendY - 4, 8, 8);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), legendX + 32, legendY + 5);
            legendY += 22;
        }
    }

    /** Maps data values to [0, 1] along one axis, linearly or by log10, and proposes grid lines. */
    private record Axis(double min, double max, boolean log) {

        /** An axis a little wider than [lo, hi] so markers at the ends are not cut by the frame. */
        static Axis padded(double lo, double hi, boolean log) {
            if (log) {
                double a = Math.log10(lo);
                double b = Math.log10(hi);
                double pad = Math.max((b - a) * 0.05, 0.05);
                return new Axis(Math.pow(10, a - pad), Math.pow(10, b + pad), true);
            }
            double pad = Math.max((hi - lo) * 0.05, Math.abs(hi) * 0.05 + 1e-9);
            return new Axis(lo - pad, hi + pad, false);
        }

        double fraction(double v) {
            if (log) {
                return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
            }
            return (v - min) / (max - min);
        }

        /** 1-2-5 steps: per decade on a log axis, about six lines on a linear one. */
        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                for (int e = (int) Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
                    for (double m : new double[] {1, 2, 5}) {
                        double t = m * Math.pow(10, e);
                        if (t >= min && t <= max) {
                            ticks.add(t);
                        }
                    }
                }
                return ticks;
            }
            double raw = (max - min) / 6;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = magnitude * (raw / magnitude < 2 ? 2 : raw / magnitude < 5 ? 5 : 10);
            for (double t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) {
                ticks.add(t);
            }
            return ticks;
        }

        static String label(double v) {
            if (v == Math.rint(v) && Math.abs(v) < 1e7) {
                return String.format(Locale.ROOT, "%d", (long) v);
            }
            return String.format(Locale.ROOT, "%.3g", v);
        }
    }
}
