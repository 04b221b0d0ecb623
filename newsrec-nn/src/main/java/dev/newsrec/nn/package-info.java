/** Everything on Deep Java Library: plm, model, pretrain, train, infer. */
package dev.newsrec.nn;
