package dev.newsrec.nn.train;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A parameter group of {@link AdamW}: the parameters whose name {@code selects} accepts get this
 * base learning rate and weight decay (the decay is still skipped for names the optimiser's
 * no-decay rule accepts). Names are the keys of {@code block.getParameters()}, e.g.
 * {@code 01plm_03layer0_01attention_02query_weight}.
 */
public record ParamGroup(String name, Predicate<String> selects, double learningRate, double weightDecay) {
  public ParamGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(selects, "selects");
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("group " + name + ": learning rate must be >= 0: " + learningRate);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("group " + name + ": weight decay must be >= 0: " + weightDecay);
    }
  }

  /** A group of the parameters whose name contains a match of {@code regex}. */
  public static ParamGroup matching(String name, String regex, double learningRate, double weightDecay) {
    Pattern p = Pattern.compile(regex);
    return new ParamGroup(name, n -> p.matcher(n).find(), learningRate, weightDecay);
  }

  @Override
  public String toString() {
    return "ParamGroup[" + name + ", lr=" + learningRate + ", wd=" + weightDecay + "]";
  }
}
