// Silences tfjs's "install the node backend" banner and its debug-mode checks in every test process.
import { tf } from '@hypermeta/core';

tf.env().set('PROD', true);
