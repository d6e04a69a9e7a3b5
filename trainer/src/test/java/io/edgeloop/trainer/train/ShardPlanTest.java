package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShardPlanTest {

    @Test
    void evenAndUnevenSplitsAreContiguousAndDifferByAtMostOne() {
        assertArrayEquals(new int[] {8, 8}, ShardPlan.split(16, 2).sizes());
        assertArrayEquals(new int[] {4, 3}, ShardPlan.split(7, 2).sizes());
        assertArrayEquals(new int[] {3, 2, 2}, ShardPlan.split(7, 3).sizes());
        assertArrayEquals(new int[] {4, 4, 3, 3}, ShardPlan.split(14, 4).sizes());
        assertArrayEquals(new int[] {5}, ShardPlan.split(5, 1).sizes());
        ShardPlan plan = ShardPlan.split(7, 3);
        assertEquals(3, plan.shards());
        assertEquals(0, plan.from(0));
        assertEquals(3, plan.to(0));
        assertEquals(3, plan.from(1));
        assertEquals(5, plan.to(1));
        assertEquals(5, plan.from(2));
        assertEquals(7, plan.to(2));
        assertEquals("ShardPlan[3, 2, 2]", plan.toString());
        for (int rows = 1; rows <= 40; rows++) {
            for (int devices = 1; devices <= 8; devices++) {
                ShardPlan p = ShardPlan.split(rows, devices);
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int i = 0; i < devices; i++) {
                    assertEquals(i == 0 ? 0 : p.to(i - 1), p.from(i), "contiguous");
                    min = Math.min(min, p.size(i));
                    max = Math.max(max, p.size(i));
                }
                assertEquals(rows, p.to(devices - 1), rows + " rows on " + devices);
                assertEquals(true, max - min <= 1, rows + " rows on " + devices + ": " + p);
                assertEquals(true, p.size(0) >= 1, "shard 0 is never empty");
            }
        }
    }

    @Test
    void aBatchSmallerThanTheDeviceCountLeavesTheLastShardsEmpty() {
        assertArrayEquals(new int[] {1, 1, 0}, ShardPlan.split(2, 3).sizes());
        assertArrayEquals(new int[] {1, 0, 0, 0}, ShardPlan.split(1, 4).sizes());
        ShardPlan plan = ShardPlan.split(2, 3);
        assertEquals(2, plan.from(2));
        assertEquals(2, plan.to(2));
    }

    @Test
    void badArgumentsNameTheValue() {
        assertEquals("rows is 0, allowed >= 1",
                assertThrows(IllegalArgumentException.class, () -> ShardPlan.split(0, 2)).getMessage());
        assertEquals("devices is 0, allowed >= 1",
                assertThrows(IllegalArgumentException.class, () -> ShardPlan.split(3, 0)).getMessage());
    }
}
