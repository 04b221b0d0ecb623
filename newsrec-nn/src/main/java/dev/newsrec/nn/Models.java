package dev.newsrec.nn;

import dev.newsrec.core.UserException;
import dev.newsrec.core.baseline.PopularityRecommender;
import dev.newsrec.core.baseline.RandomRecommender;
import dev.newsrec.core.model.RecommenderSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every model a config can name in {@code model.type}: the registry every front end looks models up in. */
public final class Models {
  private static final Map<String, RecommenderSpec<?>> SPECS = new LinkedHashMap<>();

  static {
    register(RandomRecommender.SPEC);
    register(PopularityRecommender.SPEC);
    register(dev.newsrec.nn.nrms.Nrms.SPEC);
    register(dev.newsrec.nn.plmnr.PlmNr.SPEC);
    register(dev.newsrec.nn.punr.Punr.SPEC);
    register(dev.newsrec.nn.ip2.Ip2.SPEC);
  }

  private Models() {}

  private static void register(RecommenderSpec<?> spec) { SPECS.put(spec.type(), spec); }

  public static RecommenderSpec<?> get(String type) {
    RecommenderSpec<?> s = SPECS.get(type);
    if (s == null) {
      throw new UserException("unknown model.type '" + type + "' (known: "
          + String.join(", ", SPECS.keySet()) + ")");
    }
    return s;
  }

  public static List<String> types() { return List.copyOf(SPECS.keySet()); }
}
