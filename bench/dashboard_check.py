"""Checks the live dashboard in a real browser (headless Chromium driven by Selenium) while a run works.

    apt-get install chromium chromium-driver && pip install selenium
    python bench/dashboard_check.py --task wa-churn --time 4m --out /tmp/dash-check [--starling .build/debug/starling]

It starts `starling run TASK --serve`, opens the run's page once, and without reloading it checks that
the solution tree grows, that a node opens with its prompt and code, and that two nodes diff; it
saves a screenshot of each state in OUT/shots/ and prints what it saw as JSON (exit 1 when a check fails).
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds, step=0.5):
    end = time.time() + seconds
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--task", default="wa-churn")
    parser.add_argument("--time", default="4m")
    parser.add_argument("--strategy", default="mle-star")
    parser.add_argument("--out", default="/tmp/dash-check")
    parser.add_argument("--starling", default=".build/debug/starling")
    parser.add_argument("--watch-seconds", type=int, default=150, help="how long to watch the tree grow")
    args = parser.parse_args()
    run_folder = os.path.join(args.out, "run")
    shots = os.path.join(args.out, "shots")
    os.makedirs(shots, exist_ok=True)
    port = free_port()
    log = open(os.path.join(args.out, "run.log"), "w")
    run = subprocess.Popen([args.starling, "run", args.task, "--time", args.time, "--strategy", args.strategy,
                            "--out", run_folder, "--serve", "--serve-port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    results = {"checks": {}}

    def up():
        try:
            return urllib.request.urlopen(base + "/api/runs", timeout=2).status == 200
        except Exception:
            return False

    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1100"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    driver = None
    try:
        assert wait_for(up, 120), "the dashboard did not come up"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.get(base + "/run?run=.")
        driver.execute_script("window.__loadedOnce = 'yes'")
        count = lambda: len(driver.find_elements(By.CSS_SELECTOR, "#tree g.node"))
        wait_for(lambda: count() >= 1, 240)
        first = count()
        driver.save_screenshot(os.path.join(shots, "1-early.png"))
        samples = [(0, first)]
        started = time.time()
        while time.time() - started < args.watch_seconds and run.poll() is None:
            time.sleep(10)
            samples.append((round(time.time() - started), count()))
        last = count()
        same_page = driver.execute_script("return window.__loadedOnce") == "yes"
        driver.save_screenshot(os.path.join(shots, "2-grown.png"))
        results["tree_samples"] = samples
        results["checks"]["tree grew without a reload"] = last > first and same_page
        # Open a node the model wrote (it has a prompt), else the newest node.
        nodes = driver.find_elements(By.CSS_SELECTOR, "#tree g.node")
        ids = [int(n.get_attribute("data-id")) for n in nodes]
        state = json.load(urllib.request.urlopen(base + "/api/state?run=."))
        stages = {n["id"]: n["stage"] for n in state["nodes"]}
        chosen = None
        for node_id in ids:
            detail = json.load(urllib.request.urlopen(f"{base}/api/node?run=.&node={node_id}"))
            if detail["exchanges"] and detail["parent"] is not None:
                chosen = node_id
        chosen = chosen or ids[-1]
        driver.execute_script("document.querySelector(`#tree g.node[data-id='${arguments[0]}']`).dispatchEvent(new MouseEvent('click', {bubbles: true}))", chosen)
        opened = wait_for(lambda: driver.find_element(By.ID, "panel").is_displayed(), 10)
        driver.find_element(By.CSS_SELECTOR, "#tabs button[data-tab='prompt']").click()
        prompt = wait_for(lambda: driver.find_element(By.ID, "tabBody").text, 5) or ""
        driver.save_screenshot(os.path.join(shots, "3-node-prompt.png"))
        driver.find_element(By.CSS_SELECTOR, "#tabs button[data-tab='code']").click()
        code = wait_for(lambda: driver.find_element(By.ID, "tabBody").text, 5) or ""
        driver.save_screenshot(os.path.join(shots, "4-node-code.png"))
        results["opened_node"] = {"id": chosen, "stage": stages.get(chosen), "prompt_characters": len(prompt), "code_characters": len(code)}
        results["checks"]["a node opens with its prompt and code"] = bool(opened) and len(code) > 100 and len(prompt) > 0
        other = next((i for i in ids if i != chosen), chosen)
        box = driver.find_element(By.ID, "other")
        box.clear()
        box.send_keys(str(other))
        driver.find_element(By.ID, "diffButton").click()
        diff = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#diffBody table.diff, #diffBody p"), 10)
        driver.execute_script("document.getElementById('diffBody').scrollIntoView()")
        driver.save_screenshot(os.path.join(shots, "5-two-nodes-diff.png"))
        results["diff"] = {"a": other, "b": chosen, "text": (driver.find_element(By.ID, "diffBody").text[:200])}
        results["checks"]["two nodes diff"] = bool(diff) and "node" in results["diff"]["text"]
        driver.get(base + "/compare?a=.&b=.")
        time.sleep(3)
        driver.save_screenshot(os.path.join(shots, "6-side-by-side.png"))
    finally:
        if driver:
            driver.quit()
        run.wait(timeout=900)
        log.close()
    results["run_exit_status"] = run.returncode
    print(json.dumps(results, indent=1))
    sys.exit(0 if all(results["checks"].values()) else 1)


if __name__ == "__main__":
    main()
