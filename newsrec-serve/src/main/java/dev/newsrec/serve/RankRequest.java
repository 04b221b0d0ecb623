package dev.newsrec.serve;

import java.util.List;

/**
 * What POST /v1/rank asks: rank candidates for the user whose clicks are history (oldest first).
 *
 * @param k how many of the ranked candidates to return (null: all)
 */
public record RankRequest(List<NewsRef> history, List<NewsRef> candidates, Integer k) {}
