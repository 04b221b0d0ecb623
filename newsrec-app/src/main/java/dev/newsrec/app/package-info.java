/** The newsrec command line. */
package dev.newsrec.app;
