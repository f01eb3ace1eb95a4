package org.elastichadoop.slots.demo;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.NLineInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

import java.io.IOException;

/**
 * A job that keeps map slots busy for a known amount of CPU: each input line "MILLIS [LABEL]" is one
 * map task's work (NLineInputFormat, one line per split), and the output is the total per label.
 * Used by the demos and the MiniMRCluster tests of elastic slots.
 */
public final class CpuBurnJob {
    private CpuBurnJob() {}

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
}
