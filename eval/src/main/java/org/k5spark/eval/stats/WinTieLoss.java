package org.k5spark.eval.stats;

import java.util.Collection;

/**
 * Counts of paired outcomes from A's point of view. The win rate counts a tie as half a win,
 * (W + T/2) / N, so 0.5 means "no difference" whatever the tie share.
 */
public record WinTieLoss(int wins, int ties, int losses) {
  public static WinTieLoss of(Collection<Outcome> outcomes) {
    int w = 0;
    int t = 0;
    int l = 0;
    for (Outcome o : outcomes) {
      switch (o) {
        case WIN -> w++;
        case TIE -> t++;
        case LOSS -> l++;
        default -> throw new IllegalStateException();
      }
    }
    return new WinTieLoss(w, t, l);
  }

  public int total() {
    return wins + ties + losses;
  }

  public double winShare() {
    return share(wins);
  }

  public double tieShare() {
    return share(ties);
  }

  public double lossShare() {
    return share(losses);
  }

  public double winRate() {
    return total() == 0 ? Double.NaN : (wins + 0.5 * ties) / total();
  }

  public WinTieLoss flipped() {
    return new WinTieLoss(losses, ties, wins);
  }

  private double share(int k) {
    return total() == 0 ? Double.NaN : (double) k / total();
  }
}
