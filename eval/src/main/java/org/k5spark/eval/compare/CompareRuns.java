package org.k5spark.eval.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.k5spark.eval.stats.Bootstrap;
import org.k5spark.eval.stats.ConfidenceInterval;
import org.k5spark.eval.stats.Direction;
import org.k5spark.eval.stats.Group;
import org.k5spark.eval.stats.MetricPolicy;
import org.k5spark.eval.stats.Outcome;
import org.k5spark.eval.stats.PairedTests;
import org.k5spark.eval.stats.WinTieLoss;

/**
 * Paired comparison of two or more runs over the same prompts. Every unordered pair of runs (in the
 * given order, the earlier one as A) is compared metric by metric, prompt by prompt; human SBS votes
 * for that pair (in either orientation) are added as rows named {@code human:<question>}.
 *
 * <p>The pairing unit is the prompt: a prompt's value is the mean over its ok videos (several seeds
 * are averaged, {@link PromptMeans#RULE}), so prompts stay independent for the bootstrap and the tests. When
 * both runs made several samples per prompt with the same seeds, {@link SamplePairs} adds rows paired by
 * (prompt, sample), named {@code sample:<metric>}. Prompts present in only
 * some runs are reported in {@link Comparison#partialPrompts()} and per pair in onlyInA/onlyInB.
 */
public final class CompareRuns {
  public static final String HUMAN_PREFIX = "human:";

  private final MetricPolicy policy;
  private final Bootstrap bootstrap;

  public CompareRuns(MetricPolicy policy, Bootstrap bootstrap) {
    this.policy = policy;
    this.bootstrap = bootstrap;
  }

  public static CompareRuns defaults() {
    return new CompareRuns(MetricPolicy.defaults(), Bootstrap.defaults());
  }

  public Comparison compare(List<RunTable> runs, List<Vote> votes) {
    if (runs.size() < 2) {
      throw new IllegalArgumentException("compare needs at least two runs, got " + runs.size());
    }
    Set<String> ids = new LinkedHashSet<>();
    for (RunTable r : runs) {
      if (!ids.add(r.runId())) {
        throw new IllegalArgumentException("duplicate run id: " + r.runId());
      }
    }
    List<PairComparison> pairs = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      for (int j = i + 1; j < runs.size(); j++) {
        pairs.add(comparePair(runs.get(i), runs.get(j), votes == null ? List.of() : votes));
      }
    }
    Map<String, List<String>> partial = new LinkedHashMap<>();
    Map<String, List<String>> presence = new LinkedHashMap<>();
    for (RunTable r : runs) {
      for (String p : r.byPrompt().keySet()) {
        presence.computeIfAbsent(p, k -> new ArrayList<>()).add(r.runId());
      }
    }
    presence.forEach((p, in) -> {
      if (in.size() < runs.size()) {
        partial.put(p, List.copyOf(in));
      }
    });
    List<VideoScore> failed = runs.stream().flatMap(r -> r.videos().stream()).filter(v -> !v.ok()).toList();
    return new Comparison(List.copyOf(runs), pairs, partial, failed, bootstrap.resamples(), bootstrap.seed(),
        bootstrap.level());
  }

  PairComparison comparePair(RunTable a, RunTable b, List<Vote> allVotes) {
    Map<String, List<VideoScore>> pa = a.byPrompt();
    Map<String, List<VideoScore>> pb = b.byPrompt();
    List<String> onlyA = pa.keySet().stream().filter(k -> !pb.containsKey(k)).toList();
    List<String> onlyB = pb.keySet().stream().filter(k -> !pa.containsKey(k)).toList();
    Set<String> metrics = new LinkedHashSet<>(a.metricNames());
    metrics.addAll(b.metricNames());

    List<PromptPair> prompts = new ArrayList<>();
    for (Map.Entry<String, List<VideoScore>> e : pa.entrySet()) {
      List<VideoScore> vb = pb.get(e.getKey());
      if (vb == null) {
        continue;
      }
      List<VideoScore> va = e.getValue();
      Map<String, Double> xa = new LinkedHashMap<>();
      Map<String, Double> xb = new LinkedHashMap<>();
      for (String m : metrics) {
        xa.put(m, RunTable.promptValue(va, m));
        xb.put(m, RunTable.promptValue(vb, m));
      }
      VideoScore first = va.get(0);
      prompts.add(new PromptPair(e.getKey(), first.prompt(), first.concepts(), first.motionLevel(), xa, xb,
          first.videoPath(), vb.get(0).videoPath(), first.status(), vb.get(0).status()));
    }

    List<MetricRow> rows = new ArrayList<>();
    Map<Group, List<PromptPair>> groups = Group.split(prompts, PromptPair::concepts, PromptPair::motionLevel);
    for (String m : metrics) {
      for (Map.Entry<Group, List<PromptPair>> g : groups.entrySet()) {
        rows.add(metricRow(m, g.getKey(), g.getValue()));
      }
    }

    rows.addAll(SamplePairs.rows(SamplePairs.matched(a, b), metrics, policy, bootstrap));

    List<Vote> votes = new ArrayList<>();
    for (Vote v : allVotes) {
      if (v.runA().equals(a.runId()) && v.runB().equals(b.runId())) {
        votes.add(v);
      } else if (v.runA().equals(b.runId()) && v.runB().equals(a.runId())) {
        votes.add(v.flipped());
      }
    }
    if (!votes.isEmpty()) {
      Map<String, PromptPair> meta = new LinkedHashMap<>();
      prompts.forEach(p -> meta.put(p.promptId(), p));
      List<String> questions = new ArrayList<>(Vote.QUESTIONS);
      votes.stream().map(Vote::question).filter(q -> !questions.contains(q)).distinct().forEach(questions::add);
      for (String q : questions) {
        List<Vote> qv = votes.stream().filter(v -> v.question().equals(q)).toList();
        if (qv.isEmpty()) {
          continue;
        }
        Map<Group, List<Vote>> vg = Group.split(qv,
            v -> meta.containsKey(v.promptId()) ? meta.get(v.promptId()).concepts() : List.of(),
            v -> meta.containsKey(v.promptId()) ? meta.get(v.promptId()).motionLevel() : "");
        for (Map.Entry<Group, List<Vote>> g : vg.entrySet()) {
          rows.add(humanRow(HUMAN_PREFIX + q, g.getKey(), g.getValue().stream().map(Vote::outcome).toList()));
        }
      }
    }
    return new PairComparison(a.runId(), b.runId(), rows, prompts, onlyA, onlyB, votes.size());
  }

  private MetricRow metricRow(String metric, Group group, List<PromptPair> items) {
    List<Double> xa = new ArrayList<>();
    List<Double> xb = new ArrayList<>();
    int missing = 0;
    for (PromptPair p : items) {
      Double va = p.valuesA().get(metric);
      Double vb = p.valuesB().get(metric);
      if (va == null || vb == null) {
        missing++;
      } else {
        xa.add(va);
        xb.add(vb);
      }
    }
    double[] a = xa.stream().mapToDouble(Double::doubleValue).toArray();
    double[] b = xb.stream().mapToDouble(Double::doubleValue).toArray();
    double[] d = new double[a.length];
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
      Outcome o = policy.judge(metric, a[i], b[i]);
      if (o != null) {
        outcomes.add(o);
      }
    }
    Direction dir = policy.rule(metric).direction();
    WinTieLoss wtl = WinTieLoss.of(outcomes);
    boolean directed = dir != Direction.NONE;
    return new MetricRow(metric, "metric", group, dir, a.length, missing, wtl,
        directed ? bootstrap.winRate(outcomes) : ConfidenceInterval.empty(bootstrap.level()),
        bootstrap.mean(a), bootstrap.mean(b), bootstrap.mean(d),
        a.length == 0 ? Double.NaN : PairedTests.wilcoxon(a, b),
        directed && a.length > 0 ? PairedTests.signTest(wtl) : Double.NaN,
        a.length == 0 ? Double.NaN : PairedTests.permutation(a, b, bootstrap.resamples(), bootstrap.seed()));
  }

  private MetricRow humanRow(String name, Group group, List<Outcome> outcomes) {
    WinTieLoss wtl = WinTieLoss.of(outcomes);
    ConfidenceInterval none = ConfidenceInterval.empty(bootstrap.level());
    return new MetricRow(name, "human", group, Direction.HIGHER_IS_BETTER, outcomes.size(), 0, wtl,
        bootstrap.winRate(outcomes), none, none, none, Double.NaN, PairedTests.signTest(wtl), Double.NaN);
  }
}
