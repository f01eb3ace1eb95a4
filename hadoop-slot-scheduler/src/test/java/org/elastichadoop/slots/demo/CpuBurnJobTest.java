package org.elastichadoop.slots.demo;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mrunit.mapreduce.MapDriver;
import org.apache.hadoop.mrunit.mapreduce.MapReduceDriver;
import org.apache.hadoop.mrunit.mapreduce.ReduceDriver;
import org.junit.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** The demo job's mapper and reducer under MRUnit. */
public class CpuBurnJobTest {

    @Test
    public void theMapperBurnsTheCpuTimeItIsAskedForAndEmitsIt() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadCpuTime();
        new MapDriver<LongWritable, Text, Text, LongWritable>(new CpuBurnMapper())
                .withInput(new LongWritable(0), new Text("200 warm-up"))
                .withOutput(new Text("warm-up"), new LongWritable(200))
                .runTest();
        long usedMs = (threads.getCurrentThreadCpuTime() - before) / 1_000_000;
        assertTrue("200 ms of CPU asked for, " + usedMs + " ms used", usedMs >= 200);
    }

    @Test
    public void theJobAddsUpTheMillisecondsPerLabelAndCountsBadLines() throws Exception {
        MapReduceDriver<LongWritable, Text, Text, LongWritable, Text, LongWritable> driver =
                MapReduceDriver.newMapReduceDriver(new CpuBurnMapper(), new SumReducer());
        driver.withInput(new LongWritable(0), new Text("30 a"))
                .withInput(new LongWritable(5), new Text("20 a"))
                .withInput(new LongWritable(10), new Text("10"))
                .withInput(new LongWritable(13), new Text("lots a"))
                .withInput(new LongWritable(20), new Text("-5 a"))
                .withInput(new LongWritable(25), new Text("# a comment"))
                .withOutput(new Text("a"), new LongWritable(50))
                .withOutput(new Text("cpu-ms"), new LongWritable(10))
                .runTest();
        assertEquals(60, driver.getCounters().findCounter("cpu-burn", "burned ms").getValue());
        assertEquals(2, driver.getCounters().findCounter("cpu-burn", "bad lines").getValue());
    }

    @Test
    public void theReducerSums() throws Exception {
        new ReduceDriver<Text, LongWritable, Text, LongWritable>(new SumReducer())
                .withInput(new Text("k"), Arrays.asList(new LongWritable(3), new LongWritable(4), new LongWritable(0)))
                .withOutput(new Text("k"), new LongWritable(7))
                .runTest();
    }
}
