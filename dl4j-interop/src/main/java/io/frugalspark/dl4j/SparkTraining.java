package io.frugalspark.dl4j;

import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.time.SystemClockTimeSource;

/** dl4j-spark's parameter averaging set up for FRUGAL updaters. */
public final class SparkTraining {
    /** Stats collection asks an NTP server unless this names the system clock (set it on executors too). */
    public static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";

    private SparkTraining() {
    }

    /**
     * A training master for minibatch files of {@code batchSize} examples (as {@link ShardBatches#export}
     * writes them): the updater state (FRUGAL's moments) is averaged along with the parameters, as
     * {@code saveUpdater(true)}; the builder's default would restart the moments every round.
     */
    public static ParameterAveragingTrainingMaster parameterAveraging(int batchSize, int averagingFrequency, boolean collectStats) {
        if (collectStats) {
            System.setProperty(TIME_SOURCE_PROPERTY, SystemClockTimeSource.class.getName());
        }
        return new ParameterAveragingTrainingMaster.Builder(batchSize)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                .collectTrainingStats(collectStats)
                .build();
    }
}
