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
 */
public record ExperimentConfig(String name, String description, Long seed, DataConfig data,
    JsonNode model, ExpectedMetrics expected) {
  public ExperimentConfig {
    if (seed == null) seed = 42L;
    if (description == null) description = "";
    ConfigProblems p = new ConfigProblems();
    p.required("name", name, "the run folder is named after it");
    p.required("data", data, "a section with at least data.train");
    if (model == null || !model.isObject()) {
      p.add("model", "required (a section with at least model.type)");
    } else if (!model.path("type").isTextual() || model.get("type").asText().isBlank()) {
      p.add("model.type", "required (the model to train, e.g. nrms)");
    }
    p.throwIfAny();
  }

  public String modelType() { return model.get("type").asText(); }

  /** The model section without its type key, ready to bind to the model's options. */
  public JsonNode modelOptions() {
    var copy = model.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("type");
    return copy == null ? JsonNodeFactory.instance.objectNode() : copy;
  }
}
