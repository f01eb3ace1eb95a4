package org.elastichadoop.slots.demo;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.NLineInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A job that keeps map slots busy for a known amount of CPU: each input line "MILLIS [LABEL]" is one
 * map task's work (NLineInputFormat, one line per split), and the output is the total per label.
 * Used by the demos and the tests of elastic slots; run it as
 * {@code hadoop jar hadoop-slot-scheduler-hadoop1.jar org.elastichadoop.slots.demo.CpuBurnJob [-maps N -millis MS] INPUT OUTPUT}.
 */
public final class CpuBurnJob extends Configured implements Tool {
    static final String USAGE = "usage: CpuBurnJob [-maps N -millis MS] INPUT OUTPUT\n"
            + "  each line of INPUT, \"MILLIS [LABEL]\", is one map burning MILLIS of CPU; OUTPUT gets the total per label.\n"
            + "  With -maps and -millis, INPUT is written first: N lines \"MS burned\".";

    public static Job create(Configuration conf, Path input, Path output) throws IOException {
        Job job = new Job(conf, "cpu-burn");
        job.setJarByClass(CpuBurnJob.class);
        job.setMapperClass(CpuBurnMapper.class);
        job.setReducerClass(SumReducer.class);
        job.setCombinerClass(SumReducer.class);
        job.setOutputKeyClass(Text.class);
        job.setOutputValueClass(LongWritable.class);
        job.setInputFormatClass(NLineInputFormat.class);
        NLineInputFormat.setNumLinesPerSplit(job, 1);
        FileInputFormat.addInputPath(job, input);
        FileOutputFormat.setOutputPath(job, output);
        return job;
    }

    /** Writes {@code maps} lines "MILLIS burned" to {@code input}. */
    static void writeInput(FileSystem fs, Path input, int maps, long millis) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < maps; i++) lines.append(millis).append(" burned\n");
        try (FSDataOutputStream out = fs.create(input, true)) {
            out.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public int run(String[] args) throws Exception {
        int maps = -1;
        long millis = -1;
        int i = 0;
        try {
            for (; i < args.length && args[i].startsWith("-"); i += 2) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
                if (args[i].equals("-maps")) maps = Integer.parseInt(args[i + 1]);
                else if (args[i].equals("-millis")) millis = Long.parseLong(args[i + 1]);
                else throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (args.length - i != 2) throw new IllegalArgumentException("give INPUT and OUTPUT");
            if ((maps < 0) != (millis < 0)) throw new IllegalArgumentException("-maps and -millis go together");
            if (maps == 0 || maps > 100_000 || millis > 3_600_000) throw new IllegalArgumentException("-maps 1..100000, -millis 0..3600000");
        } catch (IllegalArgumentException e) { // NumberFormatException included
            System.err.println("error: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Path input = new Path(args[i]);
        Path output = new Path(args[i + 1]);
        if (maps > 0) writeInput(input.getFileSystem(getConf()), input, maps, millis);
        return create(getConf(), input, output).waitForCompletion(true) ? 0 : 1;
    }

    public static void main(String[] args) throws Exception {
        System.exit(ToolRunner.run(new CpuBurnJob(), args));
    }
}
