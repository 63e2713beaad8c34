/** Where a node's files go in out/<cluster>/: one folder per node, inside one folder for all. */

/** The folder that holds one folder per node. */
export const NODES_FOLDER = 'nodes';

/** A node's folder, relative to out/<cluster>/. */
export const nodeFolder = (node: string): string => `${NODES_FOLDER}/${node}`;
