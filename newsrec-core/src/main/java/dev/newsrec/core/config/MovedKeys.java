package dev.newsrec.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keys a config section once had that now live elsewhere, as {@code "old_key=new.full.key"}: a
 * config that still uses one gets an error naming the new key, not just "unknown key".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MovedKeys {
  String[] value();
}
