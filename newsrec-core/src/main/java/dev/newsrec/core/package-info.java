/** Data, synthetic world, samplers, official metrics and runs; no native code. */
package dev.newsrec.core;
