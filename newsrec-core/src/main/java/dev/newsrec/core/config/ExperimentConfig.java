package dev.newsrec.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One experiment: a config file under configs/. The model section is bound by the model's own
 * options record (each model reads only its own keys).
 *
 * @param name run name, used for the run folder
 * @param description one line on what the experiment reproduces
 * @param seed seed of everything random in the run
 * @param data the folders read
 * @param model model section; {@code model.type} picks the model
 * @param expected the paper's numbers, if any
 * @param pretraining pre-training stages run before fine-tuning, in order: a list of sections,
 *     each with {@code stage:} (a stage the model offers) and that stage's own keys
 * @param pretrainingPerSeed with {@code --seeds N}, pre-train once per seed (default: once, with
 *     the config's seed, shared by every fine-tuning seed, as both papers do)
 * @param initFrom a run folder whose weights start this run: its last pre-training stage's, or its
 *     trained model's; parameters are matched by name
 */
public record ExperimentConfig(String name, String description, Long seed, DataConfig data,
    JsonNode model, ExpectedMetrics expected, JsonNode pretraining, Boolean pretrainingPerSeed,
    String initFrom) {
  public ExperimentConfig {
    if (seed == null) seed = 42L;
    if (description == null) description = "";
    if (pretrainingPerSeed == null) pretrainingPerSeed = false;
    ConfigProblems p = new ConfigProblems();
    if (pretraining != null && !pretraining.isNull()) {
      if (!pretraining.isArray()) {
        p.add("pretraining", "expected a list of stages (- stage: NAME ...), found " + pretraining.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      } else {
        for (int i = 0; i < pretraining.size(); i++) {
          JsonNode e = pretraining.get(i);
          if (!e.isObject() || !e.path("stage").isTextual() || e.get("stage").asText().isBlank()) {
            p.add("pretraining[" + i + "].stage", "required (the name of a stage the model offers)");
          }
        }
      }
    }
    p.required("name", name, "the run folder is named after it");
    p.required("data", data, "a section with at least data.train");
    if (model == null || !model.isObject()) {
      p.add("model", "required (a section with at least model.type)");
    } else if (!model.path("type").isTextual() || model.get("type").asText().isBlank()) {
      p.add("model.type", "required (the model to train, e.g. nrms)");
    }
    p.throwIfAny();
  }

  /** The pre-training stage sections, in order (empty when there are none). */
  public java.util.List<JsonNode> stages() {
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    if (pretraining != null && pretraining.isArray()) pretraining.forEach(out::add);
    return out;
  }

  public String modelType() { return model.get("type").asText(); }

  /** The model section without its type key, ready to bind to the model's options. */
  public JsonNode modelOptions() {
    var copy = model.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("type");
    return copy == null ? JsonNodeFactory.instance.objectNode() : copy;
  }
}
