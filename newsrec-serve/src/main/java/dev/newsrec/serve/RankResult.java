package dev.newsrec.serve;

import java.util.List;

/**
 * The answer to a {@link RankRequest}.
 *
 * @param scores the score of every candidate, in the request's candidate order
 * @param ranking the top k candidates, best first (ties keep candidate order, as prediction.txt)
 * @param historyUsed how many history news the model read after its own truncation policy
 */
public record RankResult(float[] scores, List<Ranked> ranking, int historyUsed) {
  /** One ranked candidate: its id, its position among the request's candidates, its score. */
  public record Ranked(String id, int candidate, float score) {}
}
