package dev.newsrec.core.mind;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** MIND's behaviour time, {@code 11/15/2019 10:22:32 AM}, as seconds since 1970-01-01T00:00. */
public final class MindTime {
  private MindTime() {}

  /** Parses s[start, end); returns Long.MIN_VALUE when it is not in MIND's format. */
  public static long parse(CharSequence s, int start, int end) {
    int[] v = new int[6];
    int p = start;
    // month / day / year hour : minute : second
    char[] seps = {'/', '/', ' ', ':', ':', ' '};
    for (int f = 0; f < 6; f++) {
      int digits = 0;
      int x = 0;
      while (p < end && s.charAt(p) >= '0' && s.charAt(p) <= '9' && digits < 4) {
        x = x * 10 + (s.charAt(p) - '0');
        p++;
        digits++;
      }
      if (digits == 0 || p >= end || s.charAt(p) != seps[f]) return Long.MIN_VALUE;
      v[f] = x;
      p++;
    }
    if (end - p != 2 || s.charAt(p + 1) != 'M') return Long.MIN_VALUE;
    char ap = s.charAt(p);
    if (ap != 'A' && ap != 'P') return Long.MIN_VALUE;
    int month = v[0], day = v[1], year = v[2], hour = v[3], minute = v[4], second = v[5];
    if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1000 || hour < 1 || hour > 12
        || minute > 59 || second > 59) {
      return Long.MIN_VALUE;
    }
    int h24 = (hour % 12) + (ap == 'P' ? 12 : 0);
    return daysFromCivil(year, month, day) * 86400L + h24 * 3600L + minute * 60L + second;
  }

  /** Formats like MIND: month/day/year without leading zeros, 12-hour clock with AM/PM. */
  public static String format(long seconds) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    int h = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
    return t.getMonthValue() + "/" + t.getDayOfMonth() + "/" + t.getYear() + " " + h + ":"
        + two(t.getMinute()) + ":" + two(t.getSecond()) + (t.getHour() < 12 ? " AM" : " PM");
  }

  private static String two(int x) { return x < 10 ? "0" + x : Integer.toString(x); }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
  private static long daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }
}
